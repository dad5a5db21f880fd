/** The module READMEs' props tables are generated from the TSDoc, and every optional prop documents its default. */
import { readFileSync } from "fs";
import { moduleApi, renderApiDocs } from "../scripts/api-docs";

describe("module API docs", () => {
  it("every module README holds the props tables npm run docs writes", () => {
    const stale = Object.entries(renderApiDocs())
      .filter(([file, content]) => readFileSync(file, "utf8") !== content)
      .map(([file]) => file);
    expect({ stale, fix: "npm run docs" }).toEqual({ stale: [], fix: "npm run docs" });
  });

  it("every optional prop of every props interface has a @default tag", () => {
    const api = moduleApi();
    const props = Object.entries(api).flatMap(([dir, docs]) => docs.flatMap((doc) => doc.props.map((prop) => ({ where: `${dir} ${doc.name}.${prop.name}`, prop }))));
    expect(props.length).toBeGreaterThan(150);
    expect(props.filter(({ prop }) => prop.optional && !prop.defaultValue).map(({ where }) => where)).toEqual([]);
  });
});
