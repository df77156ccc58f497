/* kidsafe child page: search, voice, time left, "more time", stop screen, zh/en. No state is kept in the
   browser: usage lives on the device, so clearing the browser changes nothing. Every text on screen is
   rendered from i18n.json keys and the last answer, so a language switch re-renders all of it. */
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  let lang = params.get("lang");
  let strings = { zh: {}, en: {} };
  let status = null;
  let lastInteraction = Date.now();
  let notice = { main: null, stop: null };  // what each notice says: {key, vars} or {text} (server text)
  let lastSearch = null;  // the last search answer (results are data and are not translated)
  let lastTranscript = "";
  // "search", or an exempt mode the device enforces ("dictionary" / "homework": their own sources only)
  let mode = "search";
  let exemptView = false;  // time is up and the child chose a mode the parent exempted: only those work

  const t = (key, vars) => {
    let s = (strings[lang] || {})[key] || (strings.zh || {})[key] || key;
    for (const [k, v] of Object.entries(vars || {})) s = s.replace(`{${k}}`, v);
    return s;
  };

  async function api(path, body, contentType) {
    const url = `${path}${path.includes("?") ? "&" : "?"}lang=${encodeURIComponent(lang || "")}`;
    const opts = { method: body === undefined ? "GET" : "POST", headers: {} };
    if (body !== undefined) {
      if (body instanceof Blob) {
        opts.body = body;
        opts.headers["Content-Type"] = contentType || "application/octet-stream";
      } else {
        opts.body = JSON.stringify(body || {});
        opts.headers["Content-Type"] = "application/json";
      }
    }
    const res = await fetch(url, opts);
    let data = {};
    try { data = await res.json(); } catch (e) { data = {}; }
    return { ok: res.ok, code: res.status, data };
  }

  function applyStrings() {
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
    document.querySelectorAll("[data-i18n-placeholder]").forEach((el) => { el.placeholder = t(el.dataset.i18nPlaceholder); });
    document.querySelectorAll("[data-i18n-title]").forEach((el) => { el.title = t(el.dataset.i18nTitle); });
    document.querySelectorAll("[data-i18n-aria]").forEach((el) => { el.setAttribute("aria-label", t(el.dataset.i18nAria)); });
    $("lang-toggle").textContent = t("other_lang");
    $("stop-lang").textContent = t("other_lang");
    document.title = t("title");
    renderModes();
  }

  // --- notices: remembered as keys so a language switch can say them again -----------------------
  const known = (key) => key && ((strings[lang] || {})[key] || (strings.zh || {})[key]);

  function setNotice(which, spec) {
    notice[which] = spec;
    renderNotice(which);
  }

  function renderNotice(which) {
    const el = $(which === "main" ? "notice" : "stop-notice");
    const spec = notice[which];
    const text = !spec ? "" : spec.key ? t(spec.key, spec.vars) : spec.text;
    el.textContent = text || "";
    el.hidden = !text;
  }

  const showNotice = (key, vars) => setNotice("main", key ? { key, vars } : null);

  // an error answer: its code when the page knows it (translatable), else the server's own words
  const errorSpec = (data) => (known(data.error) ? { key: data.error } : { text: data.message || t("error") });

  function fmtLeft(s) {
    if (s === null || s === undefined) return t("unlimited");
    const m = Math.floor(s / 60);
    const sec = Math.floor(s % 60);
    return `${m}:${String(sec).padStart(2, "0")}`;
  }

  const exemptModes = () => ((status && status.exempt_features) || []).filter((m) => m === "dictionary" || m === "homework");
  const modeNames = (modes) => modes.map((m) => t(`mode_${m}`)).join(lang === "zh" ? "、" : ", ");

  // the mode buttons: in exempt time only the exempted modes can be picked; no microphone then (voice is
  // search), and none when the parent turned voice off
  function renderModes() {
    const allowed = exemptModes();
    document.querySelectorAll("#modes .mode").forEach((b) => {
      b.setAttribute("aria-pressed", String(b.dataset.mode === mode));
      b.disabled = exemptView && !allowed.includes(b.dataset.mode);
    });
    $("q").placeholder = t(mode === "search" ? "placeholder" : `placeholder_${mode}`);
    $("mic-btn").hidden = exemptView || (status !== null && status.voice === false);
  }

  function setMode(m) {
    if (exemptView && !exemptModes().includes(m)) return;
    mode = m;
    renderModes();
    $("q").focus();
  }

  function renderStopModes(show) {
    const box = $("stop-mode-buttons");
    box.replaceChildren();
    for (const m of show ? exemptModes() : []) {
      const b = document.createElement("button");
      b.type = "button";
      b.dataset.mode = m;
      b.textContent = t(`mode_${m}`);
      b.addEventListener("click", () => {
        exemptView = true;
        mode = m;
        renderStatus(status);
        $("q").focus();
      });
      box.append(b);
    }
    $("stop-modes").hidden = !box.children.length;
  }

  function renderStatus(st) {
    if (!st) return;
    status = st;
    if (!lang) { lang = st.lang; applyStrings(); }
    $("timeleft-value").textContent = fmtLeft(st.time_left_s);
    const night = st.state === "night";  // no "more time" at night: sleep time is not negotiable here
    $("more-time").hidden = night;
    $("stop-more-time").hidden = night;
    $("timeleft").classList.toggle("low", st.warning_min !== null && st.warning_min !== undefined);
    // exempt time: only after the daily limit (never at night), only while the mode is still exempted
    const timeUp = st.state === "time_up";
    if (!timeUp || !exemptModes().includes(mode)) exemptView = false;
    if (!exemptView && mode !== "search" && timeUp) mode = "search";
    renderModes();
    const banner = $("banner");
    if (exemptView) {
      banner.textContent = t("exempt_only", { modes: modeNames(exemptModes()) });
      banner.hidden = false;
    } else if (st.state === "ok" && st.warning_min) {
      banner.textContent = t("warn", { n: st.warning_min });
      banner.hidden = false;
    } else if (st.state === "ok" && st.break_due) {
      banner.textContent = t("break");
      banner.hidden = false;
    } else {
      banner.hidden = true;
    }
    const stop = $("stop");
    if (st.state !== "ok" && !exemptView) {
      $("stop-icon").dataset.icon = st.state === "night" ? "night" : "time_up";
      $("stop-message").textContent = known(st.state) ? t(st.state) : (st.message || "");
      $("stop-clock").textContent = (st.local_time || "").slice(11, 16);
      renderAlways(st.always_allowed || []);
      renderStopModes(timeUp);
      stop.hidden = false;
    } else {
      stop.hidden = true;
    }
  }

  // an icon drawn from the page's own SVG symbols (#icon-ID), never an emoji (no emoji font on a device)
  function icon(id) {
    const NS = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(NS, "svg");
    svg.setAttribute("class", "icon");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    const use = document.createElementNS(NS, "use");
    use.setAttribute("href", `#icon-${id}`);
    svg.append(use);
    return svg;
  }

  function renderAlways(items) {
    const box = $("always");
    box.replaceChildren();
    for (const item of items) {
      const b = document.createElement("button");
      b.type = "button";
      b.dataset.item = item.id;
      b.append(icon(item.id), document.createTextNode(item.label + (item.tel ? ` ${item.tel}` : "")));
      b.addEventListener("click", async () => {
        const r = await api(`/api/always/${item.id}`, {});
        if (item.id === "clock") setNotice("stop", { key: "now_is", vars: { t: (r.data.local_time || "").slice(11, 16) } });
        else if (r.data.care) document.dispatchEvent(new CustomEvent("kidsafe:care", { detail: r.data }));  // care.js
        else setNotice("stop", { key: "calling_tel", vars: { tel: r.data.tel || "" } });
      });
      box.append(b);
    }
  }

  async function refresh() {
    try {
      const r = await api("/api/status");
      if (r.ok) renderStatus(r.data);
    } catch (e) {
      showNotice("offline");
    }
  }

  // what the page says about an answer (the hidden count is said once, below the results)
  function searchNotice(data) {
    const n = (data.results || []).length;
    switch (data.action) {
      case "block": return data.care ? null : { key: "refused" };  // care.js shows the care box instead
      case "offline": return { key: "search_offline" };
      case "invalid": return data.transcript === "" ? { key: "not_heard" } : errorSpec(data);
      case "redact": return { key: "redacted" };
      default: return n ? null : { key: "no_results" };
    }
  }

  function renderHidden() {
    const n = lastSearch ? lastSearch.hidden || 0 : 0;
    const el = $("hidden-count");
    el.hidden = !n;
    el.textContent = n ? t("hidden", { n }) : "";
  }

  function renderTranscript() {
    const el = $("transcript");
    el.textContent = lastTranscript ? t("you_said") + lastTranscript : "";
    el.hidden = !lastTranscript;  // nothing heard: no empty "you said" line
  }

  function renderSearch(data) {
    lastSearch = data;
    const box = $("results");
    box.replaceChildren();
    setNotice("main", searchNotice(data));
    const results = data.results || [];
    for (const r of results) {
      const card = document.createElement("article");
      card.className = "result";
      const h = document.createElement("h2");
      h.textContent = r.title || "";
      const p = document.createElement("p");
      p.textContent = r.snippet || "";
      card.append(h, p);
      if (r.url) {
        const d = document.createElement("div");
        d.className = "domain";
        try { d.textContent = new URL(r.url).hostname; } catch (e) { d.textContent = r.url; }
        card.append(d);
      }
      box.append(card);
    }
    renderHidden();
    document.dispatchEvent(new CustomEvent("kidsafe:answer", { detail: data }));  // care.js
    if (data.usage) renderStatus(data.usage);
  }

  function handleAnswer(r) {
    if (r.code === 403 && r.data.status) { renderStatus(r.data.status); return; }
    if (!r.ok) { setNotice("main", errorSpec(r.data)); if (r.data.status) renderStatus(r.data.status); return; }
    renderSearch(r.data);
  }

  async function doSearch(ev) {
    ev.preventDefault();
    const q = $("q").value.trim();
    if (!q) { $("q").focus(); return; }
    lastTranscript = "";
    renderTranscript();
    showNotice("thinking");
    try {
      handleAnswer(await api("/api/search", { query: q, feature: mode }));
    } catch (e) {
      showNotice("offline");
    }
  }

  async function askMoreTime(which) {
    const r = await api("/api/more-time", { minutes: 15 });
    if (r.ok && r.data.request) setNotice(which, { key: r.data.request.duplicate ? "more_time_again" : "more_time_sent" });
    else setNotice(which, errorSpec(r.data));
  }

  // --- microphone: record PCM with getUserMedia, send a 16 kHz mono WAV ---------------------------
  let rec = null;
  function encodeWav(chunks, rate) {
    const target = 16000;
    let total = 0;
    for (const c of chunks) total += c.length;
    const input = new Float32Array(total);
    let off = 0;
    for (const c of chunks) { input.set(c, off); off += c.length; }
    const ratio = rate / target;
    const n = Math.floor(input.length / ratio);
    const buf = new ArrayBuffer(44 + n * 2);
    const v = new DataView(buf);
    const w = (o, s) => { for (let i = 0; i < s.length; i++) v.setUint8(o + i, s.charCodeAt(i)); };
    w(0, "RIFF"); v.setUint32(4, 36 + n * 2, true); w(8, "WAVE"); w(12, "fmt ");
    v.setUint32(16, 16, true); v.setUint16(20, 1, true); v.setUint16(22, 1, true);
    v.setUint32(24, target, true); v.setUint32(28, target * 2, true); v.setUint16(32, 2, true);
    v.setUint16(34, 16, true); w(36, "data"); v.setUint32(40, n * 2, true);
    for (let i = 0; i < n; i++) {
      const s = Math.max(-1, Math.min(1, input[Math.floor(i * ratio)]));
      v.setInt16(44 + i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
    }
    return new Blob([buf], { type: "audio/wav" });
  }

  async function startRecording() {
    if ($("mic-btn").disabled) return;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { showNotice("no_mic"); return; }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1 } });
    } catch (e) {
      showNotice("no_mic");
      return;
    }
    const ctx = new (window.AudioContext || window.webkitAudioContext)();
    const src = ctx.createMediaStreamSource(stream);
    const node = ctx.createScriptProcessor(4096, 1, 1);
    const chunks = [];
    node.onaudioprocess = (e) => chunks.push(new Float32Array(e.inputBuffer.getChannelData(0)));
    src.connect(node);
    node.connect(ctx.destination);
    rec = { ctx, stream, node, chunks, timer: setTimeout(stopRecording, 10000) };
    $("mic-btn").classList.add("rec");
    showNotice("listening");
  }

  async function stopRecording() {
    if (!rec) return;
    const { ctx, stream, node, chunks, timer } = rec;
    rec = null;
    clearTimeout(timer);
    node.disconnect();
    stream.getTracks().forEach((tr) => tr.stop());
    $("mic-btn").classList.remove("rec");
    const wav = encodeWav(chunks, ctx.sampleRate);
    ctx.close();
    showNotice("thinking");
    $("mic-btn").disabled = true;  // one question at a time
    try {
      const r = await api("/api/listen", wav, "audio/wav");
      if (r.ok && r.data.transcript !== undefined) {
        lastTranscript = r.data.transcript;
        renderTranscript();
        if (lastTranscript) $("q").value = lastTranscript;
      }
      handleAnswer(r);
    } catch (e) {
      showNotice("offline");
    } finally {
      $("mic-btn").disabled = false;
    }
  }

  function toggleLang() {
    lang = lang === "zh" ? "en" : "zh";
    applyStrings();
    renderNotice("main");
    renderNotice("stop");
    renderHidden();
    renderTranscript();
    if (status) renderStatus(status);
    refresh();
  }

  async function init() {
    try {
      const res = await fetch("/static/i18n.json");
      strings = await res.json();
    } catch (e) { /* keep keys */ }
    if (lang) applyStrings();
    await refresh();
    if (!lang) { lang = "zh"; applyStrings(); }
    $("search-form").addEventListener("submit", doSearch);
    $("mic-btn").addEventListener("click", () => (rec ? stopRecording() : startRecording()));
    $("more-time").addEventListener("click", () => askMoreTime("main"));
    $("stop-more-time").addEventListener("click", () => askMoreTime("stop"));
    $("lang-toggle").addEventListener("click", toggleLang);
    $("stop-lang").addEventListener("click", toggleLang);
    document.querySelectorAll("#modes .mode").forEach((b) => b.addEventListener("click", () => setMode(b.dataset.mode)));
    for (const ev of ["keydown", "pointerdown", "scroll", "touchstart"]) {
      window.addEventListener(ev, () => { lastInteraction = Date.now(); }, { passive: true });
    }
    setInterval(refresh, 5000);
    // reading results counts as use while the page is visible and the child was active recently
    setInterval(async () => {
      if (document.visibilityState !== "visible" || Date.now() - lastInteraction > 60000) return;
      if (!status || status.state !== "ok") return;
      const r = await api("/api/heartbeat", {});
      if (r.ok) renderStatus(r.data.status);
    }, 15000);
    document.body.dataset.ready = "1";
  }
  init();
})();
