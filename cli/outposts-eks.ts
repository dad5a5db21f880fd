#!/usr/bin/env node
/**
 * `outposts-eks`: the package's command (its `bin`), one subcommand per thing a user runs. Each
 * subcommand's work lives in its own module of cli/ behind a small exported function; this file
 * only parses the command line (commander) and wires. Exit codes: cli/errors.ts (EXIT_CODES).
 *
 * The blueprint: --config <file>, else BLUEPRINT_CONFIG, else examples/extended-racks.yaml (a clone's
 * default). --sites <glob,...> sets OUTPOSTS_EKS_SITES, which picks a fleet's sites (docs/fleets.md).
 */
import { existsSync, readFileSync, writeFileSync } from "fs";
import * as path from "path";
import { Command, CommanderError, Option } from "commander";
import { packageFile } from "../modules/shared/package-files";
import { CommandError, EXIT_CODES } from "./exit-codes";
// cli/cdktf.ts loads only node's own modules: cheap enough for --help.
import { DEFAULT_STACK_PARALLELISM } from "./cdktf";
// Each command's module loads when the command runs (import() below): --help, capacity or images
// need not load the stacks and the provider bindings (seconds).

/** The environment variable --sites sets: the fleet sites the app builds (comma-separated globs). */
export const SITES_ENV = "OUTPOSTS_EKS_SITES";

/** Streams a command writes to; tests pass their own. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const PROCESS_IO: CliIo = { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) };

const EXIT_CODES_HELP = `
Exit codes:
  ${EXIT_CODES.ok}  done
  ${EXIT_CODES.invalidBlueprint}  the blueprint is invalid, missing or unreadable (every problem listed, nothing written)
  ${EXIT_CODES.internalError}  internal error: a bug in outposts-eks, please report it
  ${EXIT_CODES.usage}  usage error: unknown command or option, missing argument
  ${EXIT_CODES.cannotRun}  cannot run yet: something the command reads is missing (state, file, peer, cdktf CLI)
  deploy, diff and destroy exit with the cdktf CLI's code.`;

/** What `deploy` reaches besides AWS credentials (docs/cli.md "Deploying"). */
const DEPLOY_NEEDS = `
Needs: terraform >= 1.11 on the PATH, AWS credentials, the state backend, and the network: the
Terraform registry (or a provider mirror), the Helm chart repositories and the AWS APIs. Run the
addons stack (and an EBS-backed local cluster's workers stack) from a host that reaches the
cluster's private endpoint (VPC, VPN or Direct Connect).`;

function packageVersion(): string {
  return JSON.parse(readFileSync(packageFile("package.json"), "utf8")).version;
}

/** The options every command that reads the blueprint takes. */
interface BlueprintOptions {
  readonly config?: string;
  readonly sites?: string;
  readonly site?: string;
}

/** --config and --sites become the environment the app and the tools read (BLUEPRINT_CONFIG, OUTPOSTS_EKS_SITES); returns the blueprint file. */
async function applyEnvironment(options: BlueprintOptions): Promise<string> {
  if (options.config !== undefined) process.env.BLUEPRINT_CONFIG = options.config;
  if (options.sites !== undefined) process.env[SITES_ENV] = options.sites;
  const file = (await import("../config")).blueprintPathFromEnv();
  // Neither --config nor BLUEPRINT_CONFIG: a clone's default example, which a consumer project lacks.
  if (!process.env.BLUEPRINT_CONFIG && !existsSync(file)) {
    throw new CommandError(`name a blueprint with --config <file> (or BLUEPRINT_CONFIG): there is no ${path.relative(process.cwd(), file)} here, the default of a clone of outposts-eks`, EXIT_CODES.usage);
  }
  return file;
}

const configOption = () => new Option("-c, --config <file>", "the blueprint or fleet file (default: $BLUEPRINT_CONFIG, else examples/extended-racks.yaml)");
const sitesOption = () => new Option("--sites <glob,...>", `a fleet's sites to build, as comma-separated globs such as 'store-04*' (sets ${SITES_ENV})`);
const siteOption = () => new Option("--site <name>", "with a fleet file: the site to read");

/** Builds the command line program; `io` receives what commands print. */
export function cliProgram(io: CliIo = PROCESS_IO, state: { command: string; exitCode?: number } = { command: "outposts-eks" }): Command {
  const program = new Command("outposts-eks")
    .description("Amazon EKS on AWS Outposts from one blueprint file: validate, synthesize and deploy it, and the tools around it")
    .version(packageVersion(), "-v, --version")
    .showHelpAfterError("(outposts-eks <command> --help for usage)")
    .addHelpText("after", EXIT_CODES_HELP)
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  program.hook("preAction", (_program, action) => {
    state.command = action.name();
  });

  /** A subcommand with the shared options and exit override. */
  const command = (name: string, description: string, options: { sites?: boolean; site?: boolean } = {}): Command => {
    const sub = program.command(name).description(description).addOption(configOption()).configureOutput({ writeOut: io.stdout, writeErr: io.stderr }).exitOverride();
    if (options.sites) sub.addOption(sitesOption());
    if (options.site) sub.addOption(siteOption());
    return sub;
  };
  /** One blueprint: the file, or a site of a fleet file (--site). */
  const oneBlueprint = async (options: BlueprintOptions) => {
    const file = await applyEnvironment(options);
    const config = await import("../config");
    // Without --site, a fleet's one site may be the one OUTPOSTS_EKS_SITES selects (docs/fleets.md).
    const entries = config.siteSelectionFromEnv();
    if (options.site === undefined && entries !== undefined) return config.oneSiteBlueprint(config.loadBlueprintOrFleet(file), file, entries);
    if (options.site !== undefined) return config.loadOneBlueprint(file, options.site);
    const loaded = config.loadBlueprintOrFleet(file);
    if (loaded.kind === "blueprint") return loaded.blueprint;
    // A valid fleet is not an invalid blueprint: the command line lacks --site (exit 3).
    throw new CommandError(`${file} ${config.fleetNeedsSiteMessage({ sites: loaded.fleet.sites })}`, EXIT_CODES.usage);
  };

  /**
   * Loads and validates the blueprint or fleet with the site selection, as the app will; returns
   * the selected sites' stack names (`<site>-<stack>`, and the fleet's workspaces stack when
   * selected), or undefined for one blueprint.
   */
  const selectedStacks = async (file: string): Promise<string[] | undefined> => {
    const config = await import("../config");
    const loaded = config.loadBlueprintOrFleet(file, { cache: true });
    const entries = config.siteSelectionFromEnv();
    if (loaded.kind === "blueprint") {
      config.refuseSiteSelection(file, entries);
      return undefined;
    }
    const selection = config.selectSites(loaded.fleet, entries);
    return [...selection.sites.flatMap((site) => config.siteStackNames(site.blueprint, site.name)), ...(selection.workspaces ? [config.FLEET_WORKSPACES_STACK] : [])];
  };

  command("validate", "check the blueprint without writing anything; print a summary and the synth-time warnings", { sites: true }).action(async (options: BlueprintOptions) => {
    const { dryRun, summaryLine } = await import("./synth");
    const { MissingPeerError } = await import("../modules/shared/optional-peers");
    const file = await applyEnvironment(options);
    const config = (await import("../config")).loadBlueprintOrFleet(file, { cache: true });
    const subject = config.kind === "fleet" ? `${file}: a valid fleet of ${config.fleet.sites.length} sites` : `${file}: valid`;
    let summary: ReturnType<typeof dryRun>;
    try {
      summary = dryRun(config);
    } catch (error) {
      // The checks passed; the stacks need the optional peers to be built and counted.
      if (!(error instanceof MissingPeerError)) throw error;
      io.stdout(`${subject} (building the stacks for a summary ${error.message.replace(/^outposts-eks\/stacks needs/, "needs")})\n`);
      return;
    }
    for (const warning of summary.warnings) io.stderr(`warning: ${warning}\n`);
    io.stdout(`${subject}: ${summaryLine(summary)}\n`);
  });

  command("synth", "synthesize the stacks into cdktf.out (JSON, or HCL with --hcl), removing the other format's files", { sites: true })
    .option("--hcl", "write HCL (cdk.tf) instead of JSON (cdk.tf.json)")
    .option("-o, --output <dir>", "the output folder (default: $CDKTF_OUTDIR, else cdktf.out)")
    .action(async (options: BlueprintOptions & { hcl?: boolean; output?: string }) => {
      const { summaryLine, synthesizeConfig } = await import("./synth");
      const config = (await import("../config")).loadBlueprintOrFleet(await applyEnvironment(options), { cache: true });
      const summary = synthesizeConfig(config, { outdir: options.output, hcl: options.hcl });
      // Under the cdktf CLI (cdktf.json's app), which prints the warnings and the stacks itself, nothing more.
      if (process.env.CDKTF_OUTDIR !== undefined && options.output === undefined) return;
      for (const warning of summary.warnings) io.stderr(`warning: ${warning}\n`);
      io.stdout(`${path.relative(process.cwd(), summary.outdir) || "."}: ${summaryLine(summary)}\n`);
    });

  for (const [name, description] of [
    ["deploy", "deploy stacks through the cdktf CLI, without telemetry or version checks (needs terraform >= 1.11, AWS credentials, the state backend and network: see --help)"],
    ["diff", "plan stacks through the cdktf CLI, one `cdktf diff` per stack"],
    ["destroy", "destroy stacks through the cdktf CLI"],
  ] as const) {
    command(name, description, { sites: true })
      .argument(
        "[stacks-and-cdktf-options...]",
        name === "diff" ? "stack names (network, control-plane, store-042-addons), then any cdktf diff option" : "stack names or globs (network, control-plane, 'store-042-*'), then any cdktf option (--auto-approve)",
      )
      .allowUnknownOption()
      .addHelpText(
        "after",
        name === "diff"
          ? "\nRuns `cdktf diff <stack>` once per stack (cdktf plans one stack per run; the later runs reuse the first synthesis), in this folder (its cdktf.json names the app), with CHECKPOINT_DISABLE=1 and DISABLE_VERSION_CHECK=1. Exits with the worst run's code.\nWith --sites and no stack, once per stack of those sites (<site>-network, ...)."
          : (name === "deploy" ? DEPLOY_NEEDS : "") +
            `\nRuns \`cdktf ${name}\` in this folder (its cdktf.json names the app) with CHECKPOINT_DISABLE=1 and DISABLE_VERSION_CHECK=1.\nWith --sites and no stack, every stack of those sites ('*').\nAt most ${DEFAULT_STACK_PARALLELISM} stacks at once unless you pass --parallelism N (cdktf's own default is no limit).`,
      )
      .action(async (args: string[], options: BlueprintOptions) => {
        const { diffRuns, runCdktf, stacksAndOptions, withStackParallelism, worstExitCode } = await import("./cdktf");
        const file = await applyEnvironment(options);
        // Validated here first: an invalid blueprint or selection is reported once, with exit code 1,
        // rather than through cdktf's synth (which prints the app's error inside its own).
        const selected = await selectedStacks(file);
        if (name === "diff") {
          // cdktf 0.21 plans one stack per `cdktf diff`: one run per stack, the worst exit code.
          const { stacks, options: cdktfOptions } = stacksAndOptions(args);
          const named = stacks.length === 0 && options.sites !== undefined ? (selected ?? []) : stacks;
          state.exitCode = worstExitCode(diffRuns(named, cdktfOptions).map((run) => runCdktf(run)));
          return;
        }
        const stacks = args.length === 0 && options.sites !== undefined ? ["*"] : args;
        state.exitCode = runCdktf([name, ...withStackParallelism(stacks)]);
      });
  }

  command("diagram", "draw the blueprint's topology as Mermaid (or Graphviz DOT)", { site: true })
    .addOption(new Option("-f, --format <format>", "the diagram language").choices(["mermaid", "dot"]).default("mermaid"))
    .option("-o, --out <file>", "write to a file instead of printing")
    // A clone's maintainers only: not in a consumer's --help.
    .addOption(new Option("--write-docs", "a clone's maintainers: regenerate docs/diagrams for every example").hideHelp())
    .action(async (options: BlueprintOptions & { format: string; out?: string; writeDocs?: boolean }) => {
      const { diagramCommand, writeDiagramDocs } = await import("./diagram");
      if (options.writeDocs) {
        for (const file of writeDiagramDocs()) io.stdout(`wrote ${path.relative(process.cwd(), file)}\n`);
        return;
      }
      const text = diagramCommand(await oneBlueprint(options), options.format, options.out);
      if (!options.out) io.stdout(text);
    });

  command("images", "the add-on images: list them, or print the commands that copy them or warm a pull-through cache", { site: true })
    .addArgument(program.createArgument("[action]", "list, copy or warm").choices(["list", "copy", "warm"]).default("list"))
    .addOption(new Option("--tool <tool>", "the image tool the commands use").choices(["crane", "skopeo", "docker"]).default("crane"))
    .action(async (action: string, options: BlueprintOptions & { tool: string }) => {
      const { imagesCommand } = await import("./images");
      io.stdout(`${imagesCommand(await oneBlueprint(options), action, options.tool).join("\n")}\n`);
    });

  command("capacity", "per Outpost: the instances the node groups reach at peak, against its nodeSlots", { site: true }).action(async (options: BlueprintOptions) => {
    const { capacityLines, capacityReport } = await import("./capacity");
    io.stdout(`${capacityLines(capacityReport(await oneBlueprint(options))).join("\n")}\n`);
  });

  command("disconnect-kit", "a local cluster's hosts-file block and address-based break-glass kubeconfig, for service-link disconnects", { site: true })
    .option("--endpoint <url>", "the API endpoint (default: the control-plane stack's local state)")
    .option("--addresses <a,b,c>", "the API's addresses (default: resolved now)")
    .option("--kubeconfig <file>", "the break_glass_kubeconfig output to rewrite by address")
    .action(async (options: BlueprintOptions & { endpoint?: string; addresses?: string; kubeconfig?: string }) => {
      const { disconnectKitCommand } = await import("./disconnect-kit");
      io.stdout(await disconnectKitCommand(await oneBlueprint(options), { endpoint: options.endpoint, addresses: options.addresses?.split(","), kubeconfig: options.kubeconfig }));
    });

  command("eject", "write every stack as a plain Terraform root module (docs/leaving-cdktf.md)", { site: true })
    .requiredOption("-o, --out <dir>", "the folder to write")
    .option("--force", "write into a folder that is not empty")
    .option("--allow-differences", "write even where the HCL differs from the JSON synthesis")
    .action(async (options: BlueprintOptions & { out: string; force?: boolean; allowDifferences?: boolean }) => {
      const { ejectCommand } = await import("./eject");
      const { stdout, stderr } = await ejectCommand(await oneBlueprint(options), options);
      io.stderr(stderr);
      io.stdout(stdout);
    });

  command("openshift-fragments", "the OpenShift installer's install-config and MachineSet fragments from the network stack", { site: true })
    .option("--outputs <file>", "a `terraform output -json` file of the network stack (default: its local state)")
    .option("--instance-type <type>", "the Outpost machines' instance type")
    .option("--vpc-subnets", "write platform.aws.vpc.subnets instead of platform.aws.subnets")
    .action(async (options: BlueprintOptions & { outputs?: string; instanceType?: string; vpcSubnets?: boolean }) => {
      const { openshiftFragmentsCommand } = await import("./openshift-fragments");
      io.stdout(openshiftFragmentsCommand(await oneBlueprint(options), options.outputs, { instanceType: options.instanceType, vpcSubnets: options.vpcSubnets }));
    });

  command("hypershift-infra", "the HyperShift --infra-json file from the network stack", { site: true })
    .option("--outputs <file>", "a `terraform output -json` file of the network stack (default: its local state)")
    .option("--infra-json-file <file>", "the file name the printed hand-off commands give --infra-json", "infra.json")
    .action(async (options: BlueprintOptions & { outputs?: string; infraJsonFile: string }) => {
      const { hypershiftInfraCommand } = await import("./hypershift-infra");
      // The JSON on stdout (`> infra.json`), the hypershift commands that use it on stderr.
      const { stdout, stderr } = hypershiftInfraCommand(await oneBlueprint(options), options.outputs, options.infraJsonFile);
      io.stdout(stdout);
      io.stderr(stderr);
    });

  program
    .command("schema")
    .description("the blueprint's JSON Schema, for editor completion")
    .option("-o, --out <file>", "write to a file instead of printing")
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .action(async (options: { out?: string }) => {
      const { blueprintJsonSchema } = await import("./export-schema");
      if (options.out) {
        writeFileSync(options.out, blueprintJsonSchema());
        io.stdout(`wrote ${options.out}\n`);
      } else io.stdout(blueprintJsonSchema());
    });
  return program;
}

/** Runs the CLI on `argv` (without node and the script); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo = PROCESS_IO): Promise<number> {
  const state: { command: string; exitCode?: number } = { command: "outposts-eks" };
  const program = cliProgram(io, state);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return state.exitCode ?? EXIT_CODES.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    }
    const { describeError } = await import("./errors");
    const { blueprintPathFromEnv } = await import("../config");
    const { message, exitCode } = describeError(error, state.command, blueprintPathFromEnv());
    io.stderr(`${message}\n`);
    return exitCode;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
