/* Team Mirror: keep an unsent answer in this browser only, and count characters.
 *
 * A form with data-draft-key saves what is typed to localStorage (never to the
 * server: a stored draft would tie an answer to a person) and puts it back when the
 * page is shown again without it: after a reload, after signing in again, after a
 * refusal. A page with data-draft-clear="<key or prefix>" removes drafts: the
 * thank-you page, "already answered" and "round closed". Drafts older than a week
 * are dropped. Text boxes with data-max-length get a live counter; nothing is cut.
 * Everything works without this script; it only adds safety.
 */
(function () {
  "use strict";
  var PREFIX = "mirror-draft:";
  var MAX_AGE = 7 * 24 * 3600 * 1000;
  var store;
  try {
    store = window.localStorage;
    store.setItem(PREFIX + "test", "1");
    store.removeItem(PREFIX + "test");
  } catch (e) {
    store = null;
  }

  function forget(prefix) {
    if (!store) return;
    for (var i = store.length - 1; i >= 0; i--) {
      var key = store.key(i);
      if (key && key.indexOf(PREFIX + prefix) === 0) store.removeItem(key);
    }
  }

  function dropOld() {
    if (!store) return;
    for (var i = store.length - 1; i >= 0; i--) {
      var key = store.key(i);
      if (!key || key.indexOf(PREFIX) !== 0) continue;
      try {
        var saved = JSON.parse(store.getItem(key)).saved;
        if (!saved || Date.now() - saved > MAX_AGE) store.removeItem(key);
      } catch (e) {
        store.removeItem(key);
      }
    }
  }

  function fieldsOf(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden" || el.type === "submit") return;
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) values[el.name] = el.value;
      } else if (el.value) {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function isEmpty(form) {
    return Object.keys(fieldsOf(form)).length === 0;
  }

  function restore(form, values) {
    var restored = 0;
    Object.keys(values).forEach(function (name) {
      var els = form.querySelectorAll('[name="' + name.replace(/"/g, "") + '"]');
      Array.prototype.forEach.call(els, function (el) {
        if (el.type === "radio" || el.type === "checkbox") {
          if (el.value === values[name]) { el.checked = true; restored++; }
        } else {
          el.value = values[name];
          restored++;
        }
      });
    });
    return restored;
  }

  function say(form, text, withDiscard, key) {
    var box = document.createElement("div");
    box.className = "alert alert-info d-flex flex-wrap gap-2 align-items-center";
    box.setAttribute("role", "status");
    box.id = "draft-status";
    var p = document.createElement("span");
    p.textContent = text;
    box.appendChild(p);
    if (withDiscard) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-secondary btn-sm";
      button.textContent = form.dataset.draftDiscard;
      button.addEventListener("click", function () {
        store.removeItem(key);
        window.location.reload();
      });
      box.appendChild(button);
    }
    form.insertBefore(box, form.firstChild);
  }

  function setUpDraft(form) {
    if (!store) return;
    var key = PREFIX + form.dataset.draftKey;
    var raw = store.getItem(key);
    if (raw && isEmpty(form)) {
      try {
        var draft = JSON.parse(raw);
        var rows = form.querySelector('[name="note_rows"]');
        var wanted = parseInt(draft.rows || "0", 10);
        if (rows && wanted > parseInt(rows.value, 10) && !/[?&]rows=/.test(location.search)) {
          // The draft has more note boxes than this page: ask for as many.
          location.replace(location.pathname + "?rows=" + wanted);
          return;
        }
        if (restore(form, draft.fields || {})) {
          say(form, form.dataset.draftRestored, true, key);
        }
      } catch (e) {
        store.removeItem(key);
      }
    }
    var save = function () {
      var rows = form.querySelector('[name="note_rows"]');
      store.setItem(key, JSON.stringify({
        saved: Date.now(),
        rows: rows ? rows.value : "",
        fields: fieldsOf(form),
      }));
    };
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    if (!isEmpty(form)) save();
  }

  function setUpCounter(box) {
    var max = parseInt(box.dataset.maxLength, 10);
    var form = box.form;
    if (!max || !form) return;
    var out = document.createElement("div");
    out.className = "form-text char-count";
    out.id = box.id + "_count";
    out.setAttribute("aria-live", "polite");
    box.setAttribute(
      "aria-describedby",
      ((box.getAttribute("aria-describedby") || "") + " " + out.id).trim()
    );
    box.insertAdjacentElement("afterend", out);
    var update = function () {
      var count = box.value.length;
      var over = count > max;
      out.textContent = (over ? form.dataset.counterOver : form.dataset.counter)
        .replace("%(count)s", count)
        .replace("%(max)s", max)
        .replace("%(over)s", count - max);
      out.classList.toggle("text-danger", over);
      out.classList.toggle("fw-semibold", over);
    };
    box.addEventListener("input", update);
    update();
  }

  dropOld();
  document.querySelectorAll("[data-draft-clear]").forEach(function (el) {
    forget(el.dataset.draftClear);
  });
  document.querySelectorAll("form[data-draft-key]").forEach(setUpDraft);
  document.querySelectorAll("textarea[data-max-length]").forEach(setUpCounter);
})();
