// The live page: builds its elements once, then updates them in place from the engine's answers.
// Every number comes from the server (/api/compute); this file only formats and draws.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const SOURCE_SOLID = { "实测": true, "需求澄清表": true };
  const state = { session: null, values: {}, applied: null, inflight: false, pending: false, rows: {}, bars: [] };

  // -- formatting (Chinese units: 元, 万, 亿, %) --------------------------------------------
  function yuan(v, digits) {
    if (v === null || v === undefined || !isFinite(v)) return "—";
    const d = digits === undefined ? 1 : digits, a = Math.abs(v), s = v < 0 ? "-" : "";
    const fixed = (x, n) => x.toLocaleString("zh-CN", { minimumFractionDigits: n, maximumFractionDigits: n });
    if (a >= 1e8) return s + "¥" + fixed(a / 1e8, 2) + "亿";
    if (a >= 1e4) return s + "¥" + fixed(a / 1e4, d) + "万";
    return s + "¥" + Math.round(a).toLocaleString("zh-CN");
  }
  const exact = (v) => (v < 0 ? "-" : "") + "¥" + Math.round(Math.abs(v)).toLocaleString("zh-CN");
  const people = (v) => Math.round(v).toLocaleString("zh-CN") + "人";
  const signed = (text, v) => (v > 0 ? "+" : "") + text;
  const pct = (v, d) => (v * 100).toFixed(d === undefined ? 1 : d) + "%";
  function lever(s, v) {
    if (s.unit === "share") return pct(v, v < 0.1 ? 2 : 1);
    if (s.unit === "yuan") return "¥" + Math.round(v).toLocaleString("zh-CN");
    if (s.unit === "people") return v >= 1e4 ? (v / 1e4).toFixed(2) + "万人" : people(v);
    return v.toFixed(2) + (s.key === "frequency" ? "次" : "");
  }
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function toast(text) {
    const t = $("toast"); t.textContent = text; t.classList.add("show");
    clearTimeout(toast.timer); toast.timer = setTimeout(() => t.classList.remove("show"), 2600);
  }

  // -- the levers ------------------------------------------------------------------------------
  function buildLevers(sliders) {
    const box = $("levers");
    sliders.forEach((s) => {
      const row = el("div", "lever"); row.dataset.key = s.key;
      const head = el("div", "lever-head");
      head.append(el("span", "name", s.label));
      const src = el("span", "src" + (SOURCE_SOLID[s.source] ? "" : " guess"), s.source);
      src.title = s.note || s.definition;
      head.append(src);
      const val = el("span", "val"); head.append(val);
      const track = el("div", "track"), rail = el("div", "rail");
      const span = s.max - s.min, at = (x) => (100 * (x - s.min) / span).toFixed(3) + "%";
      if (s.low !== null && s.high !== null) {
        const band = el("div", "band");
        const lo = Math.max(s.min, Math.min(s.max, s.low)), hi = Math.max(s.min, Math.min(s.max, s.high));
        band.style.left = at(lo); band.style.width = (100 * (hi - lo) / span).toFixed(3) + "%";
        band.title = "行业区间 " + lever(s, s.low) + "–" + lever(s, s.high);
        rail.append(band);
      }
      const mark = el("div", "mark"); mark.style.left = at(s.value); mark.title = s.source + " " + lever(s, s.value);
      rail.append(mark);
      const input = el("input");
      Object.assign(input, { type: "range", min: s.min, max: s.max, step: s.step });
      input.value = s.value;
      input.setAttribute("aria-label", s.label);
      input.addEventListener("input", () => { state.values[s.key] = parseFloat(input.value); show(s.key); request(); });
      track.append(rail, input);
      const foot = el("div", "lever-foot");
      const bench = s.low !== null ? "行业区间 " + lever(s, s.low) + "–" + lever(s, s.high) : s.bench_note;
      foot.append(el("span", "bench", bench), el("span", "", s.source + " " + lever(s, s.value) + (s.note ? " · " + s.note : "")));
      foot.title = s.definition + (s.low !== null ? " · " + s.bench_note : "");
      row.append(head, track, foot);
      box.append(row);
      state.rows[s.key] = { s, input, val };
    });
  }
  function show(key) {
    const r = state.rows[key], v = state.values[key];
    r.val.textContent = lever(r.s, v);
    r.val.dataset.value = String(v);
    r.val.classList.toggle("moved", Math.abs(v - r.s.value) > 1e-12 * Math.max(1, Math.abs(r.s.value)));
  }
  function setValues(values) {
    Object.keys(state.rows).forEach((k) => {
      state.values[k] = values[k];
      state.rows[k].input.value = values[k];
      show(k);
    });
    request();
  }

  // -- asking the engine -------------------------------------------------------------------------
  function post(url, body) {
    return fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
      .then((r) => r.json().then((j) => { if (!r.ok) throw new Error(j.error || r.statusText); return j; }));
  }
  function request() {
    if (state.inflight) { state.pending = true; return; }
    state.inflight = true;
    const asked = Object.assign({}, state.values);
    post("/api/compute", { levers: asked })
      .then((answer) => { apply(answer); state.applied = asked; })
      .catch((e) => toast("计算失败: " + e.message))
      .finally(() => { state.inflight = false; if (state.pending) { state.pending = false; request(); } });
  }

  // -- showing the answer in place -------------------------------------------------------------
  function setNumber(id, value, text) { const e = $(id); e.textContent = text; e.dataset.value = String(value); }
  function apply(a) {
    const o = a.outcome, sess = state.session;
    setNumber("projected-total", a.projected_total, yuan(a.projected_total));
    $("projected-exact").textContent = exact(a.projected_total) + " · 现状 " + yuan(a.baseline_total);
    setNumber("uplift", a.uplift, signed(yuan(a.uplift), a.uplift));
    $("uplift").classList.toggle("up", a.uplift > 0.5); $("uplift").classList.toggle("down", a.uplift < -0.5);
    $("uplift-share").textContent = signed(pct(a.uplift_share), a.uplift_share) + " · 与维持现状相比";
    setNumber("period-gmv", o.gmv, yuan(o.gmv));
    const preset = sess.presets.find((p) => samePreset(p));
    $("period-sub").textContent = preset && preset.report_gmv !== null
      ? "= 报告「" + preset.name + "」情景 " + yuan(preset.report_gmv)
      : "实测 " + yuan(sess.baseline.gmv) + " · " + sess.period;
    $("t-gmv").textContent = yuan(o.gmv);
    $("t-buyers").textContent = people(o.buyers);
    $("t-opb").textContent = o.orders_per_buyer.toFixed(2);
    $("t-aov").textContent = "¥" + Math.round(o.aov).toLocaleString("zh-CN");
    $("t-base").textContent = people(sess.baseline.customers);
    $("t-groups").textContent = signed(Math.round(o.new_from_groups).toLocaleString("zh-CN"), o.new_from_groups);
    $("t-referrals").textContent = signed(Math.round(o.new_from_referrals).toLocaleString("zh-CN"), o.new_from_referrals);
    drawFunnel(o.funnel);
    drawChart(a.projection);
    document.querySelectorAll(".presets button").forEach((b) => b.classList.toggle("on", samePreset(sess.presets[b.dataset.i])));
  }
  function samePreset(p) {
    return !!p && Object.keys(state.values).every((k) => Math.abs(state.values[k] - p.levers[k]) <= 1e-9 * Math.max(1, Math.abs(p.levers[k])));
  }
  function buildFunnel() {
    const box = $("funnel-bars");
    ["可触达", "好友", "社群成员", "社群成交"].forEach((name) => {
      const row = el("div", "fstage"), bar = el("div", "fbar"), fill = el("span"), n = el("div", "fn");
      bar.append(fill); row.append(el("div", "fl", name), bar, n); box.append(row);
      state.funnel = state.funnel || []; state.funnel.push({ name, fill, n });
    });
  }
  function drawFunnel(f) {
    const top = Math.max(1, f["可触达"]);
    let prev = null;
    state.funnel.forEach((st) => {
      const v = f[st.name];
      st.fill.style.width = Math.max(0.6, 100 * v / top).toFixed(2) + "%";
      st.n.textContent = "";
      st.n.append(document.createTextNode(Math.round(v).toLocaleString("zh-CN")));
      if (prev !== null) st.n.append(el("small", "", " " + (prev > 0 ? pct(v / prev) : "—")));
      prev = v;
    });
  }

  // -- the projection chart: 12 bars and a dashed line, moved in place -------------------------
  const W = 820, H = 150, L = 58, B = 20, T = 16;
  function svg(tag, attrs) {
    const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
    Object.keys(attrs || {}).forEach((k) => e.setAttribute(k, attrs[k]));
    return e;
  }
  function buildChart(months) {
    const s = $("chart-svg"), step = (W - L - 8) / months;
    state.grid = [0, 1, 2].map(() => { const g = svg("line", { class: "grid", x1: L, x2: W - 4 }); s.append(g); return g; });
    state.ticks = [0, 1, 2].map(() => { const t = svg("text", { class: "tick", x: L - 6, "text-anchor": "end" }); s.append(t); return t; });
    for (let m = 0; m < months; m++) {
      const r = svg("rect", { class: "bar", x: L + m * step + step * 0.18, width: step * 0.64, y: H - B, height: 0 });
      const label = svg("text", { class: "tick", x: L + (m + 0.5) * step, y: H - 5, "text-anchor": "middle" });
      label.textContent = (m + 1) + "月";
      s.append(r, label); state.bars.push(r);
    }
    state.base = svg("polyline", { class: "base" }); s.append(state.base);
    state.step = step;
  }
  function niceTop(v) {
    const p = Math.pow(10, Math.floor(Math.log10(v))), n = v / p;
    return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10) * p;
  }
  function drawChart(rows) {
    const top = niceTop(Math.max(1, ...rows.map((r) => Math.max(r.projected, r.baseline))) * 1.05);
    const y = (v) => H - B - (H - B - T) * v / top;
    [0, 0.5, 1].forEach((f, i) => {
      state.grid[i].setAttribute("y1", y(top * f)); state.grid[i].setAttribute("y2", y(top * f));
      state.ticks[i].setAttribute("y", y(top * f) + 4); state.ticks[i].textContent = yuan(top * f, (top * f) % 1e4 === 0 ? 0 : 1);
    });
    rows.forEach((r, i) => {
      const bar = state.bars[i]; bar.setAttribute("y", y(r.projected)); bar.setAttribute("height", Math.max(0, H - B - y(r.projected)));
      bar.dataset.value = String(r.projected);
    });
    state.base.setAttribute("points", rows.map((r, i) => (L + (i + 0.5) * state.step) + "," + y(r.baseline)).join(" "));
  }

  // -- saved scenarios (up to three, side by side) ----------------------------------------------
  function drawSaved(saved) {
    const box = $("saved"); box.textContent = "";
    const sess = state.session;
    for (let i = 0; i < 3; i++) {
      const s = saved[i];
      if (!s) { box.append(el("div", "card empty", i === saved.length ? "调整杠杆后点「保存情景」" : "")); continue; }
      const card = el("div", "card"); card.dataset.id = s.id;
      const h = el("h4"); h.append(el("span", "", s.name), el("small", "", sess.months + "个月"), el("span", "g", yuan(s.outputs.projected_total)));
      const changes = sess.sliders.filter((sl) => Math.abs(s.inputs[sl.key] - s.start[sl.key]) > 1e-9 * Math.max(1, Math.abs(s.start[sl.key])))
        .map((sl) => sl.label + " " + lever(sl, s.start[sl.key]) + "→" + lever(sl, s.inputs[sl.key]));
      const chg = el("div", "chg", signed(pct(s.outputs.uplift_share), s.outputs.uplift_share) + " · " + (changes.join("；") || "与实测相同"));
      const ops = el("div", "ops"), load = el("button", "", "载入"), del = el("button", "", "删除");
      load.type = del.type = "button";
      load.addEventListener("click", () => setValues(Object.assign({}, s.start, s.inputs)));
      del.addEventListener("click", () => fetch("/api/scenarios/" + s.id, { method: "DELETE" }).then((r) => r.json())
        .then((j) => { if (j.error) throw new Error(j.error); drawSaved(j.saved); toast("已删除「" + s.name + "」"); })
        .catch((e) => toast("删除失败: " + e.message)));
      ops.append(load, del);
      card.append(h, chg, ops);
      box.append(card);
    }
    $("save").disabled = saved.length >= 3;
    $("save").title = saved.length >= 3 ? "最多保存3个情景, 请先删除一个" : "把当前杠杆存入客户的诊断结果, 报告会列出";
    state.saved = saved;
  }
  function save() {
    const name = $("scenario-name").value.trim() || "情景" + ((state.saved || []).length + 1);
    $("save").disabled = true;
    post("/api/scenarios", { name, levers: Object.assign({}, state.values) })
      .then((j) => { drawSaved(j.saved); $("scenario-name").value = ""; toast("已保存「" + name + "」, 报告的策略部分会列出"); })
      .catch((e) => { toast("保存失败: " + e.message); $("save").disabled = false; });
  }

  // -- start -------------------------------------------------------------------------------------
  function start(sess) {
    state.session = sess;
    $("client").textContent = sess.client;
    $("meta").textContent = sess.industry + " · " + sess.period + " · 实测 " + yuan(sess.baseline.gmv);
    $("meta").title = "行业模板 " + sess.industry + " · 订单数据期 " + sess.period + " · 实测GMV " + exact(sess.baseline.gmv);
    $("total-label").textContent = sess.months + "个月预计GMV";
    $("chart-title").textContent = "未来" + sess.months + "个月GMV（月）";
    (sess.palette || []).forEach((c, i) => document.documentElement.style.setProperty("--c" + i, c));
    buildLevers(sess.sliders);
    buildFunnel();
    buildChart(sess.months);
    sess.presets.forEach((p, i) => {
      const b = el("button", "", "报告·" + p.name); b.type = "button"; b.dataset.i = i;
      b.title = "把杠杆设为报告中「" + p.name + "」情景的取值";
      b.addEventListener("click", () => setValues(Object.assign({}, state.values, p.levers)));
      $("presets").append(b);
    });
    sess.sliders.forEach((s) => { state.values[s.key] = s.value; show(s.key); });
    state.applied = Object.assign({}, state.values);
    apply(sess.start);
    drawSaved(sess.saved);
    $("reset").addEventListener("click", () => setValues(Object.fromEntries(sess.sliders.map((s) => [s.key, s.value]))));
    $("save").addEventListener("click", save);
    document.body.dataset.ready = "1";
  }
  window.diagLive = {
    state,
    idle: () => !state.inflight && !state.pending && !!state.applied &&
      Object.keys(state.values).every((k) => state.applied[k] === state.values[k]),
  };
  fetch("/api/session").then((r) => r.json()).then((s) => { if (s.error) throw new Error(s.error); start(s); })
    .catch((e) => { document.body.textContent = "无法载入现场会话: " + e.message; });
})();
