/* kidsafe child page: search, voice, time left, "more time", stop screen, zh/en. No state is kept in the
   browser: usage lives on the device, so clearing the browser changes nothing. */
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  let lang = params.get("lang");
  let strings = { zh: {}, en: {} };
  let status = null;
  let lastInteraction = Date.now();

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
    $("lang-toggle").textContent = t("other_lang");
    $("stop-lang").textContent = t("other_lang");
    document.title = t("title");
  }

  function fmtLeft(s) {
    if (s === null || s === undefined) return t("unlimited");
    const m = Math.floor(s / 60);
    const sec = Math.floor(s % 60);
    return `${m}:${String(sec).padStart(2, "0")}`;
  }

  function renderStatus(st) {
    if (!st) return;
    status = st;
    if (!lang) { lang = st.lang; applyStrings(); }
    $("timeleft-value").textContent = fmtLeft(st.time_left_s);
    $("timeleft").classList.toggle("low", st.warning_min !== null && st.warning_min !== undefined);
    const banner = $("banner");
    if (st.state === "ok" && st.warning_min) {
      banner.textContent = t("warn", { n: st.warning_min });
      banner.hidden = false;
    } else if (st.state === "ok" && st.break_due) {
      banner.textContent = t("break");
      banner.hidden = false;
    } else {
      banner.hidden = true;
    }
    const stop = $("stop");
    if (st.state !== "ok") {
      $("stop-icon").textContent = st.state === "night" ? "🌙" : "⏰";
      $("stop-message").textContent = st.message || "";
      $("stop-clock").textContent = (st.local_time || "").slice(11, 16);
      renderAlways(st.always_allowed || []);
      stop.hidden = false;
    } else {
      stop.hidden = true;
    }
  }

  function renderAlways(items) {
    const box = $("always");
    box.replaceChildren();
    for (const item of items) {
      const b = document.createElement("button");
      b.type = "button";
      b.dataset.item = item.id;
      const icon = document.createElement("span");
      icon.className = "icon";
      icon.textContent = item.icon;
      b.append(icon, document.createTextNode(item.label + (item.tel ? ` ${item.tel}` : "")));
      b.addEventListener("click", async () => {
        const r = await api(`/api/always/${item.id}`, {});
        const n = $("stop-notice");
        if (item.id === "clock") n.textContent = `${t("now")} ${(r.data.local_time || "").slice(11, 16)}`;
        else n.textContent = `${t("calling")} ${r.data.tel || ""}`;
        n.hidden = false;
      });
      box.append(b);
    }
  }

  async function refresh() {
    try {
      const r = await api("/api/status");
      if (r.ok) renderStatus(r.data);
    } catch (e) {
      showNotice(t("offline"));
    }
  }

  function showNotice(text) {
    const n = $("notice");
    n.textContent = text;
    n.hidden = !text;
  }

  function renderSearch(data) {
    const box = $("results");
    box.replaceChildren();
    showNotice(data.action && data.action !== "allow" && data.message ? data.message : "");
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
    if (!results.length && (!data.action || data.action === "allow")) showNotice(data.message || t("no_results"));
    const hidden = $("hidden-count");
    hidden.hidden = !data.hidden;
    hidden.textContent = data.hidden ? t("hidden", { n: data.hidden }) : "";
    if (data.usage) renderStatus(data.usage);
  }

  function handleAnswer(r) {
    if (r.code === 403 && r.data.status) { renderStatus(r.data.status); return; }
    if (!r.ok) { showNotice(r.data.message || t("error")); if (r.data.status) renderStatus(r.data.status); return; }
    renderSearch(r.data);
  }

  async function doSearch(ev) {
    ev.preventDefault();
    const q = $("q").value.trim();
    if (!q) { $("q").focus(); return; }
    $("transcript").hidden = true;
    showNotice(t("thinking"));
    try {
      handleAnswer(await api("/api/search", { query: q }));
    } catch (e) {
      showNotice(t("offline"));
    }
  }

  async function askMoreTime(noticeId) {
    const r = await api("/api/more-time", { minutes: 15 });
    const n = $(noticeId);
    n.textContent = r.data.message || t("error");
    n.hidden = false;
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
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { showNotice(t("no_mic")); return; }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1 } });
    } catch (e) {
      showNotice(t("no_mic"));
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
    showNotice(t("listening"));
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
    showNotice(t("thinking"));
    $("mic-btn").disabled = true;  // one question at a time
    try {
      const r = await api("/api/listen", wav, "audio/wav");
      if (r.ok && r.data.transcript !== undefined) {
        $("transcript").textContent = t("you_said") + r.data.transcript;
        $("transcript").hidden = false;
        $("q").value = r.data.transcript;
      }
      handleAnswer(r);
    } catch (e) {
      showNotice(t("offline"));
    } finally {
      $("mic-btn").disabled = false;
    }
  }

  function toggleLang() {
    lang = lang === "zh" ? "en" : "zh";
    applyStrings();
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
    $("more-time").addEventListener("click", () => askMoreTime("notice"));
    $("stop-more-time").addEventListener("click", () => askMoreTime("stop-notice"));
    $("lang-toggle").addEventListener("click", toggleLang);
    $("stop-lang").addEventListener("click", toggleLang);
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
