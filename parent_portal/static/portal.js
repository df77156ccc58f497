// kidsafe parent portal: live "more time" requests and live device status over server-sent events
// (no other script).
"use strict";
(function () {
  var box = document.getElementById("live-requests");
  if (!box || !window.EventSource) { return; }
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var seen = {};
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  var source = new EventSource(box.getAttribute("data-stream"));
  source.addEventListener("request", function (msg) {
    var item = JSON.parse(msg.data);
    if (seen[item.id] || document.getElementById("request-" + item.id)) { return; }
    seen[item.id] = true;
    var card = el("article", {"class": "card request live", "id": "live-request-" + item.id});
    card.appendChild(el("p", {}, item.child + " " + item.labels.asks.replace("%(m)s", item.minutes)));
    if (item.note) { card.appendChild(el("p", {}, item.note)); }
    var form = el("form", {"method": "post", "action": "/requests/" + item.id + "/answer", "class": "answer"});
    form.appendChild(el("input", {"type": "hidden", "name": "csrf_token", "value": csrf}));
    var label = el("label", {}, item.labels.minutes);
    label.appendChild(el("input", {"name": "minutes", "type": "number", "min": "1", "max": "600",
                                   "value": String(item.minutes), "inputmode": "numeric"}));
    form.appendChild(label);
    form.appendChild(el("button", {"class": "primary", "name": "action", "value": "approve"}, item.labels.approve));
    form.appendChild(el("button", {"name": "action", "value": "deny"}, item.labels.deny));
    card.appendChild(form);
    box.appendChild(card);
  });
})();

(function () {
  // A child's settings page: "applied on the device at ..." / online, as the device reports it.
  var box = document.getElementById("devices");
  if (!box || !box.getAttribute("data-stream") || !window.EventSource) { return; }
  var source = new EventSource(box.getAttribute("data-stream"));
  source.addEventListener("device", function (msg) {
    var st = JSON.parse(msg.data);
    var applied = document.getElementById("applied-" + st.id);
    if (applied) {
      applied.textContent = st.text;
      applied.className = st.applied ? "ok" : "waiting";
    }
    var online = document.getElementById("online-" + st.id);
    if (online) {
      online.textContent = st.online_text;
      online.className = st.online ? "ok" : "muted";
    }
  });
})();
