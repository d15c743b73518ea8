import { describe, expect, it } from "vitest";
import { DEFAULT_CONCURRENCY, parseSyncArgs, UsageError } from "./args.js";

const TO = "https://example.com/scim/v2";
const env = { SCIM_TOKEN: "target-token" };

function fails(argv: string[], pattern: RegExp, environment: Record<string, string> = env): void {
  let caught: unknown;
  try {
    parseSyncArgs(argv, environment);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(UsageError);
  expect((caught as Error).message).toMatch(pattern);
}

describe("parseSyncArgs", () => {
  it("takes a CSV file and the defaults of DESIGN.md", () => {
    const args = parseSyncArgs(["--from", "users.csv", "--to", `${TO}/`], env);
    expect(args).toMatchObject({
      from: { kind: "file", path: "users.csv", format: "csv" },
      to: TO,
      token: "target-token",
      key: "userName",
      deactivateMissing: false,
      concurrency: DEFAULT_CONCURRENCY,
      dryRun: false,
      maxDeactivate: undefined,
    });
  });

  it("takes a SCIM source with its own token, from the option or SCIM_FROM_TOKEN", () => {
    const given = ["--from", "https://source.example/scim/v2", "--to", TO];
    expect(parseSyncArgs([...given, "--from-token", "s"], env).from).toEqual({
      kind: "scim",
      url: "https://source.example/scim/v2",
      token: "s",
    });
    expect(parseSyncArgs(given, { ...env, SCIM_FROM_TOKEN: "e" }).from).toMatchObject({ token: "e" });
    expect(parseSyncArgs(given, env).from).toMatchObject({ token: undefined });
  });

  it("reads every option", () => {
    const args = parseSyncArgs(
      [
        "--from=users.ndjson",
        "--to",
        TO,
        "--token",
        "t",
        "--key",
        "externalid",
        "--deactivate-missing",
        "--scope",
        'title eq "x"',
        "--max-deactivate",
        "0",
        "--force",
        "--concurrency",
        "8",
        "--dry-run",
        "--report",
        "r.json",
      ],
      {},
    );
    expect(args).toMatchObject({
      from: { kind: "file", format: "json" },
      token: "t",
      key: "externalId",
      deactivateMissing: true,
      scope: 'title eq "x"',
      maxDeactivate: 0,
      force: true,
      concurrency: 8,
      dryRun: true,
      report: "r.json",
    });
  });

  it.each([
    [["--from", "u.csv", "--to", TO, "--dryrun"], /unknown option --dryrun; did you mean --dry-run\?/],
    [["--from", "u.csv", "--to", TO, "--deactivate-mising"], /did you mean --deactivate-missing\?/],
    [["--from", "u.csv", "--to", TO, "--concurency", "2"], /did you mean --concurrency\?/],
    [["--from", "u.csv", "--to", TO, "-force"], /unknown option -force; did you mean --force\?/],
    [
      ["--from", "u.csv", "--to", TO, "--key", "usrName"],
      /--key takes userName or externalId; got "usrName"; did you mean userName\?/,
    ],
    [["--to", TO], /--from <file\|url> is required/],
    [["--from", "u.csv"], /--to <url> is required/],
    [["--from", "u.txt", "--to", TO], /must end in \.csv, \.json/],
    [
      ["--from", "u.csv", "--to", `${TO}/Users`],
      /without \/Users .*try --to https:\/\/example.com\/scim\/v2/,
    ],
    [["--from", "u.csv", "--to", "ftp://x/scim"], /must be http: or https:/],
    [
      ["--from", "u.csv", "--to", TO, "--scope", "active eq true"],
      /--scope applies only with --deactivate-missing/,
    ],
    [["--from", "u.csv", "--to", TO, "--force"], /--force applies only with --deactivate-missing/],
    [
      ["--from", "u.csv", "--to", TO, "--concurrency", "0"],
      /--concurrency takes a whole number from 1 to 64; got "0"/,
    ],
    [["--from", "u.csv", "--to", TO, "--concurrency", "2.5"], /--concurrency takes a whole number/],
    [
      ["--from", "u.csv", "--to", TO, "--deactivate-missing", "--max-deactivate", "-1"],
      /--max-deactivate needs a value|whole number/,
    ],
    [
      ["--from", "u.csv", "--to", TO, "--from-token", "x"],
      /--from-token applies only when --from is a SCIM base URL/,
    ],
    [["--from", "u.csv", "--to", TO, "--dry-run", "--dry-run"], /--dry-run is given twice/],
    [["--from", "u.csv", "--to", TO, "extra"], /unexpected argument "extra"/],
    [["--from", "u.csv", "--to", TO, "--report"], /--report needs a value/],
  ])("%j is a usage error", (argv, pattern) => fails(argv, pattern));

  it("wants a token and never repeats it", () => {
    fails(["--from", "u.csv", "--to", TO], /pass --token <token> or set SCIM_TOKEN/, {});
    fails(["--from", "u.csv", "--to", TO, "--token", "Bearer abc"], /starts with "Bearer "/, {});
    let message = "";
    try {
      parseSyncArgs(["--from", "u.csv", "--to", TO, "--token", "sec ret"], {});
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/space/);
    expect(message).not.toContain("sec ret");
  });

  it("--help needs nothing else", () => {
    expect(parseSyncArgs(["--help"], {}).help).toBe(true);
    expect(parseSyncArgs(["-h", "--to", "not a url"], {}).help).toBe(true);
  });
});
