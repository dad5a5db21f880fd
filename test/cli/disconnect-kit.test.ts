/** The disconnect kit: a hosts block and a break-glass kubeconfig that reach a local cluster's API by address. */
import { parse, stringify } from "yaml";
import { disconnectKit, endpointHost } from "../../cli/disconnect-kit";

const ENDPOINT = "https://0123456789ABCDEF.gr7.us-west-2.eks.amazonaws.com";
const KUBECONFIG = stringify({
  apiVersion: "v1",
  kind: "Config",
  clusters: [{ name: "edge-local", cluster: { server: ENDPOINT, "certificate-authority-data": "Q0E=" } }],
  users: [{ name: "break-glass", user: { "client-certificate-data": "Q0VSVA==", "client-key-data": "S0VZ" } }],
  contexts: [{ name: "edge-local", context: { cluster: "edge-local", user: "break-glass" } }],
  "current-context": "edge-local",
});

describe("disconnectKit", () => {
  it("reads the host of an endpoint, with or without a port", () => {
    expect(endpointHost(ENDPOINT)).toBe("0123456789ABCDEF.gr7.us-west-2.eks.amazonaws.com");
    expect(endpointHost(`${ENDPOINT}:443`)).toBe("0123456789ABCDEF.gr7.us-west-2.eks.amazonaws.com");
  });

  it("maps every address to the API's host in a hosts-file block", () => {
    const kit = disconnectKit(ENDPOINT, ["10.10.10.11", "10.10.10.12", "10.10.10.13"]);
    expect(kit.hostsBlock.split("\n").filter((line) => line && !line.startsWith("#"))).toEqual([
      "10.10.10.11 0123456789ABCDEF.gr7.us-west-2.eks.amazonaws.com",
      "10.10.10.12 0123456789ABCDEF.gr7.us-west-2.eks.amazonaws.com",
      "10.10.10.13 0123456789ABCDEF.gr7.us-west-2.eks.amazonaws.com",
    ]);
    expect(kit.kubeconfig).toBeUndefined();
  });

  it("points the break-glass kubeconfig at an address, keeping the certificate checked against the host name", () => {
    const kit = disconnectKit(ENDPOINT, ["10.10.10.11"], KUBECONFIG);
    const config = parse(kit.kubeconfig!);
    expect(config.clusters[0].cluster).toEqual({
      server: "https://10.10.10.11",
      "certificate-authority-data": "Q0E=",
      "tls-server-name": "0123456789ABCDEF.gr7.us-west-2.eks.amazonaws.com",
    });
    expect(config.users).toEqual(parse(KUBECONFIG).users);
  });

  it("refuses to write a kit without an address", () => {
    expect(() => disconnectKit(ENDPOINT, [])).toThrow(/no address for 0123456789ABCDEF/);
  });
});
