// The SCIM servers the client benchmarks (issue 6) talk to, each run as a child process:
//   node src/client-server.mjs <fixed|scimkit>
// sends { port, targetId } to its parent over IPC and exits when the parent disconnects.
//
//   fixed    node:http answering fixed bytes: the exact body and headers (ETag included) that scimkit's
//            handler rendered for GET /Users/{id} and the filtered list at start-up, so the server's cost is
//            tiny and constant while the payloads are the realistic ones;
//   scimkit  createScimHandler + MemoryStore behind toNodeListener (`@scimkit/server/node`), the reference
//            handler with BENCH_USERS users (default 1,000): the realistic case.
import { once } from "node:events";
import { createServer } from "node:http";
import { ACCEPT, BASE, FILTER, TARGET, TOKEN } from "./client-common.mjs";

const USERS = Number(process.env.BENCH_USERS ?? 1000);

function userBody(i) {
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName: `user${i}@example.com`,
    externalId: `ext-${i}`,
    displayName: `User ${i}`,
    name: { givenName: `Given${i}`, familyName: `Family${i}` },
    emails: [{ value: `user${i}@example.com`, type: "work", primary: true }],
    active: true,
  };
}

/** scimkit's handler with USERS users; returns it and the id of TARGET. */
async function loadedHandler() {
  const { createScimHandler, MemoryStore } = await import("@scimkit/server");
  const handle = createScimHandler({ store: new MemoryStore(), auth: { tokens: [TOKEN] } });
  let targetId;
  for (let i = 0; i < USERS; i++) {
    const response = await handle(
      new Request(`http://127.0.0.1${BASE}/Users`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/scim+json" },
        body: JSON.stringify(userBody(i)),
      }),
    );
    if (response.status !== 201) throw new Error(`scimkit: POST answered ${response.status}`);
    const created = await response.json();
    if (created.userName === TARGET) targetId = created.id;
  }
  return { handle, targetId };
}

async function scimkitServer() {
  const { toNodeListener } = await import("@scimkit/server/node");
  const { handle, targetId } = await loadedHandler();
  return { server: createServer(toNodeListener(handle)), targetId };
}

async function fixedServer() {
  const { handle, targetId } = await loadedHandler();
  const render = async (path) => {
    const response = await handle(
      new Request(`http://127.0.0.1${path}`, {
        headers: { authorization: `Bearer ${TOKEN}`, accept: ACCEPT },
      }),
    );
    if (response.status !== 200) throw new Error(`scimkit: GET ${path} answered ${response.status}`);
    const body = Buffer.from(await response.arrayBuffer());
    return { body, headers: { ...Object.fromEntries(response.headers), "content-length": body.length } };
  };
  const singlePath = `${BASE}/Users/${targetId}`;
  const listPrefix = `${BASE}/Users?`;
  const single = await render(singlePath); // carries ETag: W/"1"
  const list = await render(`${listPrefix}${new URLSearchParams({ filter: FILTER })}`);
  const server = createServer((req, res) => {
    let answer;
    if (req.headers.authorization !== `Bearer ${TOKEN}`) res.writeHead(401).end();
    else if (req.method !== "GET") res.writeHead(405).end();
    else if (req.url === singlePath) answer = single;
    else if (req.url.startsWith(listPrefix)) answer = list;
    else res.writeHead(404).end();
    if (answer) res.writeHead(200, answer.headers).end(answer.body);
  });
  return { server, targetId };
}

const SERVERS = { fixed: fixedServer, scimkit: scimkitServer };
const build = SERVERS[process.argv[2]];
if (!build || !process.send) {
  console.error(`usage (as a forked child): client-server.mjs <${Object.keys(SERVERS).join("|")}>`);
  process.exit(2);
}
const { server, targetId } = await build();
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1");
await once(server, "listening");
process.send({ port: server.address().port, targetId });
process.on("disconnect", () => process.exit(0));
