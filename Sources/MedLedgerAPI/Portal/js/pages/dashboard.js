// Node dashboard (#/dashboard), for everyone signed in: height, peers, validators and the
// height each last signed at, mempool, and two charts drawn here as inline SVG (no chart
// library): committed transactions per second and the interval between blocks.
//
// Calls (public, unsigned): GET /v1/network and GET /v1/blocks?limit=60, every 3 s while
// the page is shown. The poll stops by itself once the page has left the document.

import { describeError, el, shortId, table } from "./ops-kit.js";

const POLL_MS = 3_000;
const BLOCKS = 60;
const SVG = "http://www.w3.org/2000/svg";

export async function render(main, session) {
  main.append(el("h1", { id: "page-title", tabindex: "-1" }, "Node dashboard"));
  const figures = el("dl", { class: "figures" },
    el("dt", {}, "Height"), el("dd", { id: "dash-height" }, "…"),
    el("dt", {}, "Peers connected"), el("dd", { id: "dash-peers" }, "…"),
    el("dt", {}, "Transactions waiting (mempool)"), el("dd", { id: "dash-mempool" }, "…"),
    el("dt", {}, "Node"), el("dd", { id: "dash-node" }, "…"));
  const { table: validators, body } = table("dash-validators", "Validators and their last votes",
    ["Validator", "Voting power", "Last signed height", "Behind by"]);
  const tps = chart("chart-tps", "Committed transactions per second, per block");
  const interval = chart("chart-interval", "Block interval (seconds)");
  const updated = el("p", { id: "dash-updated", class: "hint" });
  const root = el("div", { id: "dashboard", class: "card" }, figures, validators,
    el("h2", {}, "Throughput"), tps.figure, el("h2", {}, "Block interval"), interval.figure, updated);
  main.append(root);

  let failures = 0;
  async function tick() {
    try {
      const [network, blocks] = await Promise.all([
        session.client.get("/v1/network", { signed: false }),
        session.client.get(`/v1/blocks?limit=${BLOCKS}`, { signed: false }),
      ]);
      showNetwork(network);
      const series = blockSeries(Array.isArray(blocks) ? blocks : blocks.blocks ?? blocks.items ?? []);
      tps.draw(series.map((point) => [point.height, point.tps]), (v) => v.toFixed(1));
      interval.draw(series.map((point) => [point.height, point.interval]), (v) => v.toFixed(2));
      updated.textContent = `Updated ${new Date().toLocaleTimeString()}; refreshes every ${POLL_MS / 1000} s.`;
      failures = 0;
    } catch (error) {
      failures++;
      updated.textContent = `Could not reach the node (${describeError(error)}); retrying.`;
    }
  }

  function showNetwork(network) {
    const height = network.height ?? 0;
    document.getElementById("dash-height").textContent = String(height);
    const peers = network.peers ?? [];
    document.getElementById("dash-peers").textContent =
      peers.length === 0 ? "0 (a single node)" : `${peers.filter((p) => p.connected).length} of ${peers.length}`;
    document.getElementById("dash-mempool").textContent = String(network.pendingTransactions ?? 0);
    document.getElementById("dash-node").replaceChildren(shortId(network.nodeId));
    body.replaceChildren(...(network.validators ?? []).map((validator) => {
      const last = validator.lastSignedHeight;
      return el("tr", { dataset: { validator: validator.id } },
        el("td", {}, validator.name ? `${validator.name} ` : "", shortId(validator.id)),
        el("td", {}, validator.power ?? "—"),
        el("td", {}, last ?? "not in recent certificates"),
        el("td", {}, last === undefined || last === null ? "—" : String(Math.max(0, height - last))));
    }));
  }

  await tick();
  const timer = setInterval(() => {
    if (!document.body.contains(root)) return clearInterval(timer);
    if (failures < 20) tick();
  }, POLL_MS);
  return {
    onEvent() {},
  };
}

/** Oldest-first points {height, tps, interval} from a newest-first list of blocks. */
export function blockSeries(blocks) {
  const timeOf = (block) => block.timeMs ?? (typeof block.time === "number" ? block.time : Date.parse(block.time));
  const sorted = [...blocks].filter((b) => Number.isFinite(timeOf(b))).sort((a, b) => a.height - b.height);
  const points = [];
  for (let i = 1; i < sorted.length; i++) {
    const seconds = (timeOf(sorted[i]) - timeOf(sorted[i - 1])) / 1000;
    if (seconds <= 0) continue;
    points.push({ height: sorted[i].height, interval: seconds, tps: (sorted[i].transactionCount ?? 0) / seconds });
  }
  return points;
}

/** An SVG line chart with its own axes; `draw(points, format)` redraws it. */
function chart(id, title) {
  const width = 640;
  const height = 200;
  const pad = { left: 48, right: 12, top: 12, bottom: 28 };
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("id", id);
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("class", "chart");
  const titleNode = document.createElementNS(SVG, "title");
  titleNode.textContent = title;
  svg.append(titleNode);
  const caption = el("figcaption", { id: `${id}-caption` }, title);
  svg.setAttribute("aria-labelledby", `${id}-caption`);
  const figure = el("figure", { class: "chart" }, svg, caption);

  function node(tag, attributes, text) {
    const element = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
    if (text !== undefined) element.textContent = text;
    svg.append(element);
    return element;
  }

  function draw(points, format) {
    while (svg.lastChild && svg.lastChild !== titleNode) svg.lastChild.remove();
    node("line", { x1: pad.left, y1: height - pad.bottom, x2: width - pad.right, y2: height - pad.bottom, class: "axis", stroke: "currentColor" });
    node("line", { x1: pad.left, y1: pad.top, x2: pad.left, y2: height - pad.bottom, class: "axis", stroke: "currentColor" });
    if (points.length === 0) {
      node("text", { x: width / 2, y: height / 2, "text-anchor": "middle", class: "label", "font-size": 13, fill: "currentColor" }, "waiting for blocks…");
      caption.textContent = `${title}: no data yet`;
      return;
    }
    const xs = points.map(([x]) => x);
    const ys = points.map(([, y]) => y);
    const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
    const yMax = Math.max(...ys) * 1.1 || 1;
    const sx = (x) => pad.left + (x1 === x0 ? 0.5 : (x - x0) / (x1 - x0)) * (width - pad.left - pad.right);
    const sy = (y) => height - pad.bottom - (y / yMax) * (height - pad.top - pad.bottom);
    for (const fraction of [0, 0.5, 1]) {
      const value = yMax * fraction;
      node("line", { x1: pad.left, x2: width - pad.right, y1: sy(value), y2: sy(value), class: "grid", stroke: "#bbb", "stroke-dasharray": "3 3" });
      node("text", { x: pad.left - 4, y: sy(value) + 4, "text-anchor": "end", class: "label", "font-size": 11, fill: "currentColor" }, format(value));
    }
    node("text", { x: pad.left, y: height - 8, class: "label", "font-size": 11, fill: "currentColor" }, `block ${x0}`);
    node("text", { x: width - pad.right, y: height - 8, "text-anchor": "end", class: "label", "font-size": 11, fill: "currentColor" }, `block ${x1}`);
    node("polyline", { points: points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(" "), class: "series", fill: "none", stroke: "#1f5fa8", "stroke-width": 2 });
    for (const [x, y] of points) node("circle", { cx: sx(x).toFixed(1), cy: sy(y).toFixed(1), r: 2.5, class: "point", fill: "#1f5fa8" });
    const latest = ys[ys.length - 1];
    caption.textContent = `${title}: latest ${format(latest)}, highest ${format(Math.max(...ys))}, over blocks ${x0}–${x1}`;
    svg.dataset.points = String(points.length);
  }
  return { figure, draw };
}
