/**
 * Property tests of the ARN and quota models: generated members of each class are refused where
 * they are, and the members that fit are accepted.
 */
import fc from "fast-check";
import { ARN_FIELDS, arnProblem, BlueprintConfigError, QUOTAS, validateBlueprint } from "../../config";
import { healthyPercentagesProblem, rolloutPreferencesOf } from "../../config/rollout";
import { rawExample } from "../helpers/synth";

const problemsOf = (raw: unknown) => {
  try {
    validateBlueprint(raw, "generated");
    return [];
  } catch (error) {
    if (!(error instanceof BlueprintConfigError)) throw error;
    return error.problems;
  }
};

const VALID_ARN = {
  outpost: "arn:aws:outposts:us-west-2:111122223333:outpost/op-0123456789abcdef0",
  iamRole: "arn:aws:iam::111122223333:role/ops/runner",
  iamPrincipal: "arn:aws:iam::111122223333:user/jane",
  iamPolicy: "arn:aws:iam::aws:policy/ReadOnlyAccess",
  iamOidcProvider: "arn:aws:iam::111122223333:oidc-provider/app.terraform.io",
  kmsKey: "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  snsTopic: "arn:aws:sns:us-west-2:111122223333:outpost-alarms",
  s3Bucket: "arn:aws:s3:::my-flow-logs",
} as const;

describe("the ARN model", () => {
  const field = fc.constantFrom(...ARN_FIELDS);

  it("accepts a well-formed ARN of each field's kind in the Region's partition", () => {
    fc.assert(fc.property(field, (f) => expect(arnProblem(f.kind, VALID_ARN[f.kind], "us-west-2")).toBeUndefined()));
  });

  it("refuses every field's ARN in another partition than its Region's", () => {
    fc.assert(
      fc.property(field, fc.constantFrom("aws-us-gov", "aws-cn"), (f, partition) => {
        const moved = VALID_ARN[f.kind].replace(/^arn:aws:/, `arn:${partition}:`);
        expect(arnProblem(f.kind, moved, "us-west-2")).toMatch(new RegExp(`partition '${partition}', but Region us-west-2 is in 'aws'`));
      }),
    );
  });

  it("refuses a regional resource used from another Region, and a Region on a global one", () => {
    fc.assert(
      fc.property(field, fc.constantFrom("us-east-1", "eu-west-1", "ap-south-1"), (f, region) => {
        const text = VALID_ARN[f.kind];
        const parts = text.split(":");
        const regional = parts[3] !== "";
        parts[3] = region;
        const problem = arnProblem(f.kind, parts.join(":"), "us-west-2");
        expect(problem).toMatch(regional ? /works only in its own Region/ : /ARNs have none/);
      }),
    );
  });

  it("names the field's path when a blueprint gives a bad ARN there", () => {
    const raw = rawExample("extended-racks.yaml");
    raw.controlPlane.adminPrincipalArns = ["arn:aws:iam::111122223333:role/ok", "arn:aws-cn:iam::111122223333:role/china"];
    expect(problemsOf(raw).map((p) => p.path)).toEqual(["controlPlane.adminPrincipalArns[1]"]);
  });
});

describe("the quota model", () => {
  it("refuses a rack's routes exactly when they pass the quota in force, default or declared", () => {
    fc.assert(
      fc.property(fc.integer({ min: 40, max: 60 }), fc.option(fc.integer({ min: 50, max: 1000 }), { nil: undefined }), (onPrem, declared) => {
        const raw = rawExample("extended-racks.yaml");
        raw.outposts[0].onPremCidrs = Array.from({ length: onPrem }, (_, i) => `172.16.${i}.0/24`);
        if (declared !== undefined) raw.quotas = { routesPerRouteTable: declared };
        // The on-premises networks, the other rack and two more routes (NAT default, S3 gateway).
        const routes = onPrem + 1 + 2;
        const limit = declared ?? QUOTAS.routesPerRouteTable.defaultValue;
        const flagged = problemsOf(raw).some((p) => p.path === "outposts[0].onPremCidrs" && /routes per route table/.test(p.message));
        expect(flagged).toBe(routes > limit);
      }),
      { numRuns: 60 },
    );
  });
});

describe("the rollout model", () => {
  it("terminates first and keeps all but one node, for every desired count", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), (desired) => {
        const preferences = rolloutPreferencesOf({ desired, maxSurge: 0, instanceWarmupSeconds: 300 });
        expect(preferences.launchesFirst).toBe(false);
        expect(preferences.maxHealthyPercentage).toBe(100);
        // Auto Scaling keeps the minimum capacity rounded up: exactly one node is replaced at a time.
        expect(Math.ceil((preferences.minHealthyPercentage * desired) / 100)).toBe(desired - 1);
      }),
    );
  });

  it("launches a surge first within what AWS accepts, and names every refused pair", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 60 }), fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }), (desired, surge, minHealthy) => {
        const preferences = rolloutPreferencesOf({ desired, maxSurge: surge, minHealthyPercentage: minHealthy, instanceWarmupSeconds: 300 });
        expect(preferences.launchesFirst).toBe(true);
        expect(preferences.maxHealthyPercentage).toBeGreaterThan(100);
        expect(preferences.maxHealthyPercentage).toBeLessThanOrEqual(200);
        const refused = healthyPercentagesProblem(preferences.minHealthyPercentage, preferences.maxHealthyPercentage) !== undefined;
        expect(refused).toBe(preferences.maxHealthyPercentage - preferences.minHealthyPercentage > 100);
      }),
    );
  });
});
