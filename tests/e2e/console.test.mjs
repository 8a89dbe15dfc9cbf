// End-to-end tests of the Console view in local mode: Kafka's tools typed
// into a terminal (its own wasm, fetched when the view opens) run against
// the engine in the page's worker, and what they change shows in the
// other views.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { serveDirectory } from "../../scripts/serve-dist.mjs";
import { launch, openView, unnamedControls } from "./support.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "../../dist");
const artifacts = join(here, "artifacts");
const B = "--bootstrap-server localhost:9092";

let server;
let browser;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await serveDirectory({ root: dist, prefix: "/play/" });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Types `line` into the terminal and presses Enter. */
async function type(page, line) {
  const input = page.getByRole("textbox", { name: "Command" });
  await input.fill(line);
  await input.press("Enter");
}

/** The scrollback's lines. */
function lines(page) {
  return page.getByTestId("console-output").locator(".console-line").allInnerTexts();
}

/** Waits until a line of the scrollback satisfies `predicate`. */
async function waitForLine(page, predicate, what) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const now = await lines(page);
    if (now.some(predicate)) return now;
    if (Date.now() > deadline) assert.fail(`no line ${what} in:\n${now.join("\n")}`);
    await page.waitForTimeout(50);
  }
}

test("kafka-topics creates, lists and describes topics, and the Cluster view shows them", async () => {
  // The terminal's wasm is its own download, made when the view first opens.
  const { page, problems } = await openView(browser, server.url, "#/cluster");
  const consoleFetches = () => page.evaluate(() =>
    performance.getEntriesByType("resource").filter((e) => e.name.endsWith("kplay-console_bg.wasm")).map((e) => e.duration));
  assert.deepEqual(await consoleFetches(), [], "other views do not load the console");
  await page.getByRole("link", { name: "Console", exact: true }).click();
  await page.getByRole("textbox", { name: "Command" }).waitFor();
  const fetched = await consoleFetches();
  assert.equal(fetched.length, 1, "the console's wasm is fetched once");
  assert.deepEqual(await unnamedControls(page), [], "every control has an accessible name");

  await type(page, `kafka-topics ${B} --create --topic orders --partitions 3 --replication-factor 2`);
  await waitForLine(page, (l) => l === "Created topic orders.", "Created topic orders.");
  await type(page, `kafka-topics ${B} --list`);
  await waitForLine(page, (l) => l === "orders", "orders");
  await type(page, `kafka-topics ${B} --describe --topic orders`);
  const described = await waitForLine(page, (l) => l.startsWith("Topic: orders\tTopicId: "), "the topic line");
  const topicLine = described.find((l) => l.startsWith("Topic: orders"));
  assert.match(topicLine, /^Topic: orders\tTopicId: [A-Za-z0-9_-]{22}\tPartitionCount: 3\tReplicationFactor: 2\tConfigs: $/);
  await waitForLine(page, (l) => /^\tTopic: orders\tPartition: 2\tLeader: \d\tReplicas: \d,\d\tIsr: \d,\d\tElr: \tLastKnownElr: $/.test(l), "partition 2's line");

  // An error reads as Kafka's, and the exit status is the tool's.
  await type(page, `kafka-topics ${B} --create --topic orders`);
  await waitForLine(page, (l) => l === "Error while executing topic command : Topic 'orders' already exists.", "the TopicExistsException");
  await type(page, "echo $?");
  await waitForLine(page, (l) => l === "1", "status 1");
  await type(page, "kafka-topics --zookeeper localhost:2181 --list");
  await waitForLine(page, (l) => l === "zookeeper is not a recognized option", "joptsimple's refusal");
  await waitForLine(page, (l) => l.includes("KRaft"), "why ZooKeeper is gone");
  await page.screenshot({ path: join(artifacts, "console-topics.png"), fullPage: true });

  // The topic the console made is the cluster's.
  await page.getByRole("link", { name: "Cluster", exact: true }).click();
  await page.getByTestId("topic-orders").waitFor({ timeout: 5000 }).catch(async (e) => {
    await page.screenshot({ path: "/tmp/console-fail.png", fullPage: true });
    console.log(problems);
    throw e;
  });
  assert.deepEqual(problems, []);
  console.log(`# console: its wasm fetched in ${Math.round(fetched[0])} ms (localhost)`);
});

test("the console producer writes lines the console consumer prints, with history, Tab and Ctrl-C", async () => {
  const { page, problems } = await openView(browser, server.url, "#/console");
  await page.getByRole("textbox", { name: "Command" }).waitFor();
  await type(page, `kafka-topics ${B} --create --topic greetings --partitions 1`);
  await waitForLine(page, (l) => l === "Created topic greetings.", "created");

  await type(page, `kafka-console-producer ${B} --topic greetings --property parse.key=true --property key.separator=:`);
  await page.getByTestId("console-prompt").filter({ hasText: ">" }).waitFor();
  await type(page, "alice:hello");
  await type(page, "bob:<b>not bold</b>");
  await page.getByRole("textbox", { name: "Command" }).press("Control+d");
  await page.getByTestId("console-prompt").filter({ hasText: "$" }).waitFor();

  // Tab completes the tool's name and the topic.
  const input = page.getByRole("textbox", { name: "Command" });
  await input.fill("kafka-console-c");
  await input.press("Tab");
  assert.equal(await input.inputValue(), "kafka-console-consumer ");
  await input.fill(`kafka-console-consumer ${B} --topic gree`);
  await input.press("Tab");
  assert.equal(await input.inputValue(), `kafka-console-consumer ${B} --topic greetings `);
  await input.fill("");

  // The console consumer is a member of a group: it joins as engine time
  // runs (the clock is paused here, so it steps).
  await type(page, `kafka-console-consumer ${B} --topic greetings --from-beginning --property print.key=true --property print.offset=true`);
  await page.getByRole("button", { name: "Step 10 s" }).click();
  await waitForLine(page, (l) => l === "Offset:0\talice\thello", "the first record");
  await waitForLine(page, (l) => l === "Offset:1\tbob\t<b>not bold</b>", "the second record, as text");
  assert.equal(await page.getByTestId("console-output").locator("b").count(), 0, "record content is never HTML");
  // The view can be left and opened again.
  await page.getByRole("link", { name: "Producer", exact: true }).click();
  await page.getByRole("link", { name: "Console", exact: true }).click();
  await page.getByRole("textbox", { name: "Command" }).waitFor();
  await type(page, `kafka-console-consumer ${B} --topic greetings --group readers --from-beginning --max-messages 1`);
  await page.getByRole("button", { name: "Step 10 s" }).click();
  await waitForLine(page, (l) => l === "Processed a total of 1 messages", "the count after --max-messages");
  // The group it was in, and what its close() committed: its position
  // after the poll (both records), as Kafka's console consumer commits.
  await type(page, `kafka-consumer-groups ${B} --describe --group readers`);
  await waitForLine(page, (l) => /^readers\s+greetings\s+0\s+2\s+2\s+0\s+-\s+-\s+-$/.test(l), "the committed offset");

  // Without --from-beginning it waits at the end for new records, until Ctrl-C.
  await type(page, `kafka-console-consumer ${B} --topic greetings`);
  await page.waitForTimeout(300);
  await page.getByRole("textbox", { name: "Command" }).press("Control+c");
  await waitForLine(page, (l) => l === "Processed a total of 0 messages", "the count after Ctrl-C");
  await page.getByTestId("console-prompt").filter({ hasText: "$" }).waitFor();

  // curl against the Schema Registry.
  await type(page, `curl -s -X POST -H "Content-Type: application/vnd.schemaregistry.v1+json" --data '{"schema": "{\\"type\\": \\"string\\"}"}' http://localhost:8081/subjects/greetings-value/versions`);
  await waitForLine(page, (l) => l === '{"id":1}', "the schema id");
  await page.screenshot({ path: join(artifacts, "console-clients.png"), fullPage: true });

  // History survives a reload: ↑ brings back the last command.
  await page.reload();
  await page.getByRole("textbox", { name: "Command" }).waitFor();
  await page.getByRole("textbox", { name: "Command" }).press("ArrowUp");
  assert.match(await page.getByRole("textbox", { name: "Command" }).inputValue(), /^curl -s -X POST/);
  assert.deepEqual(problems, []);
});

test("kafka-delete-records moves the log-start offset the Cluster view shows; kafka-consumer-groups resets and describes a group; the scrollback comes back with the view", async () => {
  const { page, problems } = await openView(browser, server.url, "#/console");
  await page.getByRole("textbox", { name: "Command" }).waitFor();
  await type(page, `kafka-topics ${B} --create --topic events --partitions 1`);
  await waitForLine(page, (l) => l === "Created topic events.", "created");
  await type(page, `kafka-console-producer ${B} --topic events`);
  await page.getByTestId("console-prompt").filter({ hasText: ">" }).waitFor();
  for (let i = 0; i < 6; i++) await type(page, `event ${i}`);
  await page.getByRole("textbox", { name: "Command" }).press("Control+d");
  await page.getByTestId("console-prompt").filter({ hasText: "$" }).waitFor();

  // A file for --offset-json-file, written as a learner would.
  await type(page, `echo '{"partitions": [{"topic": "events", "partition": 0, "offset": 4}], "version": 1}' > offsets.json`);
  await type(page, "ls");
  await waitForLine(page, (l) => l === "offsets.json", "the file");
  await type(page, `kafka-delete-records ${B} --offset-json-file offsets.json`);
  await waitForLine(page, (l) => l === "partition: events-0\tlow_watermark: 4", "the low watermark");

  // A group that committed, reset to the earliest offset left, described.
  await type(page, `kafka-consumer-groups ${B} --reset-offsets --group audit --topic events --to-earliest --execute`);
  await waitForLine(page, (l) => /^audit\s+events\s+0\s+4\s*$/.test(l), "the reset's row");
  await type(page, `kafka-consumer-groups ${B} --describe --group audit`);
  await waitForLine(page, (l) => l === "Consumer group 'audit' has no active members.", "the notice");
  await waitForLine(page, (l) => /^audit\s+events\s+0\s+4\s+6\s+2\s+-\s+-\s+-$/.test(l), "the offsets row (lag 2)");
  await page.screenshot({ path: join(artifacts, "console-groups.png"), fullPage: true });

  // The Cluster view shows the new log-start offset.
  await page.getByRole("link", { name: "Cluster", exact: true }).click();
  const topic = page.getByTestId("topic-events");
  await topic.waitFor();
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="topic-events"] [data-testid="partition-0"] .strip')?.getAttribute("aria-label") === "log-start offset 4, high watermark 6, log-end offset 6");
  // Back in the Console, the scrollback is where it was.
  await page.getByRole("link", { name: "Console", exact: true }).click();
  await waitForLine(page, (l) => l === "partition: events-0\tlow_watermark: 4", "the kept scrollback");
  assert.deepEqual(problems, []);
});
