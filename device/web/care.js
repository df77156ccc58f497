/* kidsafe child page: care for a child whose search or question is about self-harm or suicide. The device's
   answer carries a `care` object (device/care.py): a warm message and help lines for the device's region, in
   both languages, so a language switch (the <html lang> attribute) re-renders at once. The child's own words
   are never shown back. Two slots: "main" under the search box (app.js announces every answer with a
   "kidsafe:answer" event; an answer without `care` hides the box) and "stop" on the night / time-up screen
   (the "Feeling upset" item, POST /api/always/talk, announced as "kidsafe:care"). Numbers are tel: links. */
"use strict";
(() => {
  const template = document.getElementById("care-template");
  const slots = {};
  document.querySelectorAll(".care[data-slot]").forEach((slot) => {
    slot.replaceChildren(template.content.cloneNode(true));
    slots[slot.dataset.slot] = { el: slot, care: null };
  });
  const lang = () => (document.documentElement.lang === "en" ? "en" : "zh");
  const say = (texts) => (texts && (texts[lang()] || texts.zh)) || "";

  function link(number, tel) {
    const a = document.createElement("a");
    a.className = "care-number";
    a.href = tel;
    a.textContent = number;
    return a;
  }

  function renderSlot({ el, care }) {
    el.hidden = !care;
    if (!care) return;
    el.querySelector(".care-title-text").textContent = say(care.title);
    el.querySelector(".care-message").textContent = say(care.message);
    const list = el.querySelector(".care-lines");
    list.replaceChildren();
    for (const line of care.lines || []) {
      const li = document.createElement("li");
      li.dataset.line = line.id;
      const name = document.createElement("span");
      name.className = "care-name";
      name.textContent = say(line.name);
      const hours = document.createElement("span");
      hours.className = "care-hours";
      hours.textContent = say(line.hours);
      li.append(name, link(line.number, line.tel), hours);
      list.append(li);
    }
    const emergency = el.querySelector(".care-emergency");
    emergency.textContent = care.emergency ? say(care.emergency.text) : "";
    emergency.hidden = !care.emergency;
  }

  const render = () => Object.values(slots).forEach(renderSlot);
  const show = (slot, care) => {
    if (!slots[slot]) return;
    slots[slot].care = care || null;
    renderSlot(slots[slot]);
  };

  document.addEventListener("kidsafe:answer", (ev) => show("main", ev.detail && ev.detail.care));
  document.addEventListener("kidsafe:care", (ev) => show("stop", ev.detail && ev.detail.care));
  new MutationObserver(render).observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });
})();
