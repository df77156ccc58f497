/* kidsafe child page: care for a child whose search or question is about self-harm or suicide. The device's
   answer carries a `care` object (device/care.py): a warm message and help lines for the device's region, in
   both languages, so a language switch (the <html lang> attribute) re-renders at once. The child's own words
   are never shown back. app.js announces every answer with a "kidsafe:answer" event; an answer without
   `care` hides the box. Numbers are tel: links (a device that can call, calls). */
"use strict";
(() => {
  const box = document.getElementById("care");
  let care = null;
  const lang = () => (document.documentElement.lang === "en" ? "en" : "zh");
  const say = (texts) => (texts && (texts[lang()] || texts.zh)) || "";

  function link(number, tel) {
    const a = document.createElement("a");
    a.className = "care-number";
    a.href = tel;
    a.textContent = number;
    return a;
  }

  function render() {
    box.hidden = !care;
    if (!care) return;
    box.querySelector(".care-title-text").textContent = say(care.title);
    box.querySelector(".care-message").textContent = say(care.message);
    const list = box.querySelector(".care-lines");
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
    const emergency = box.querySelector(".care-emergency");
    emergency.textContent = care.emergency ? say(care.emergency.text) : "";
    emergency.hidden = !care.emergency;
  }

  document.addEventListener("kidsafe:answer", (ev) => {
    care = (ev.detail && ev.detail.care) || null;
    render();
  });
  new MutationObserver(render).observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });
})();
