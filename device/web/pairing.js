/* kidsafe child page: the pairing code for the parent (GET /api/pairing, device/pairing.py). Rendered into
   every `.pairing` slot: the page footer always, the stop screen only while a code is out (a parent may set
   the device up at night). Labels carry data-i18n keys that app.js translates; the device sends the state
   message in both languages, so a language switch (the <html lang> attribute) re-renders at once. Why a
   file was refused (a path and an OS error, for the maker's support) is the message's tooltip.
   The seconds left count down locally between fetches; at zero the device is asked again. */
"use strict";
(() => {
  const SHOW_ON_STOP = new Set(["waiting", "expired"]);
  let last = null;
  let fetchedAt = 0;

  const lang = () => document.documentElement.lang || "zh";

  // the box's markup lives once in index.html; each slot gets a copy (before app.js translates labels)
  const template = document.getElementById("pairing-template");
  document.querySelectorAll(".pairing").forEach((slot) => slot.replaceChildren(template.content.cloneNode(true)));

  function leftText() {
    if (!last || last.expires_in_s === null || last.expires_in_s === undefined) return "";
    const left = Math.max(0, last.expires_in_s - Math.floor((Date.now() - fetchedAt) / 1000));
    return `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
  }

  function renderSlot(slot) {
    const p = last;
    const q = (cls) => slot.querySelector(`.${cls}`);
    slot.dataset.state = p.state;
    slot.hidden = slot.dataset.slot === "stop" && !SHOW_ON_STOP.has(p.state);
    const msg = q("pairing-message");
    msg.textContent = (p.messages || {})[lang()] || p.message || "";
    if (p.detail) msg.title = p.detail; else msg.removeAttribute("title");
    const waiting = p.state === "waiting" && !!p.code;
    q("pairing-code-box").hidden = !waiting;
    q("pairing-code").textContent = waiting ? p.code : "";
    q("pairing-url").textContent = waiting && p.url ? p.url : "";
    const img = q("pairing-qr");
    img.hidden = !(waiting && p.qr);
    if (waiting && p.qr) {
      if (img.getAttribute("src") !== p.qr) img.src = p.qr;
      img.alt = p.url || "";
    } else {
      img.removeAttribute("src");
    }
    q("pairing-left-value").textContent = waiting ? leftText() : "";
  }

  const render = () => { if (last) document.querySelectorAll(".pairing").forEach(renderSlot); };

  async function load() {
    try {
      const res = await fetch(`/api/pairing?lang=${encodeURIComponent(lang())}`);
      if (!res.ok) return;  // e.g. the device's own rate limit: keep what is shown
      last = await res.json();
      fetchedAt = Date.now();
    } catch (e) {
      return;  // the device service is restarting: app.js says so; keep what is shown
    }
    render();
  }

  function tick() {
    if (!last || last.state !== "waiting") return;
    if (leftText() === "0:00") { load(); return; }
    document.querySelectorAll(".pairing .pairing-left-value").forEach((el) => { el.textContent = leftText(); });
  }

  new MutationObserver(render).observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });
  setInterval(load, 5000);
  setInterval(tick, 1000);
  load();
})();
