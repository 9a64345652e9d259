// My list: the programs a visitor saved, kept in this browser only (localStorage). Our server
// never stores it; it sees the ids only in the list's own address (/list/?ids=12,40,7), which is
// how the pages work without this file and how a list is shared. No cookie is set.
(function () {
  "use strict";
  var KEY = "finder:my-list";
  var PLACE_KEY = "finder:last-place"; // the last searched place, for distances on /compare/
  var link = document.getElementById("my-list-link");
  if (!link || !storageWorks()) { return; } // the plain links still work

  var max = parseInt(link.dataset.max, 10) || 20;
  var listPath = link.getAttribute("href").split("?")[0];
  var linkText = link.textContent;
  var status = document.getElementById("shortlist-status");

  function storageWorks() {
    try {
      window.localStorage.setItem("finder:test", "1");
      window.localStorage.removeItem("finder:test");
      return true;
    } catch (error) {
      return false; // private browsing in some browsers, or storage turned off
    }
  }

  function isId(value) { return /^[1-9][0-9]{0,11}$/.test(String(value)); }

  function parseIds(text) {
    return (text || "").split(",").filter(isId).map(Number);
  }

  function read() {
    var ids = [];
    try {
      var stored = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      if (Array.isArray(stored)) { ids = stored.filter(isId).map(Number); }
    } catch (error) { /* unreadable: start again */ }
    return ids.filter(function (id, i) { return ids.indexOf(id) === i; }).slice(0, max);
  }

  function write(ids) { window.localStorage.setItem(KEY, JSON.stringify(ids)); }

  function listUrl(ids) { return listPath + (ids.length ? "?ids=" + ids.join(",") : ""); }

  function sameIds(a, b) {
    return a.length === b.length && a.every(function (id) { return b.indexOf(id) >= 0; });
  }

  function say(text) { if (status) { status.textContent = text; } }

  // The header's "My list (3)" and every Save button's pressed state, from what is stored.
  function refresh() {
    var ids = read();
    link.href = listUrl(ids);
    link.textContent = ids.length ? link.dataset.template.replace("#", ids.length) : linkText;
    document.querySelectorAll(".save[data-save-id]").forEach(function (box) {
      var saved = ids.indexOf(Number(box.dataset.saveId)) >= 0;
      box.querySelector(".save-toggle").setAttribute("aria-pressed", saved ? "true" : "false");
    });
  }

  // Save: a toggle button instead of the link to a one-program list.
  document.querySelectorAll(".save[data-save-id]").forEach(function (box) {
    var id = Number(box.dataset.saveId);
    var button = box.querySelector(".save-toggle");
    box.querySelector(".save-link").hidden = true;
    button.hidden = false;
    button.addEventListener("click", function () {
      var ids = read();
      if (ids.indexOf(id) >= 0) {
        write(ids.filter(function (other) { return other !== id; }));
        say(status.dataset.removed);
      } else if (ids.length >= max) {
        say(status.dataset.full);
        return;
      } else {
        write(ids.concat([id]));
        say(status.dataset.saved);
      }
      refresh();
    });
  });
  // Saved or removed in another tab.
  window.addEventListener("storage", function (event) { if (event.key === KEY) { refresh(); } });

  // Remember the place of the last search with results, so a comparison can say how far each
  // program is from it.
  var searched = document.getElementById("id_location");
  if (searched && searched.value && document.querySelector(".results-page") &&
      !document.querySelector(".error-summary")) {
    window.localStorage.setItem(PLACE_KEY, searched.value);
  }

  var page = document.getElementById("shortlist-page");
  if (page) { listPage(page); }
  refresh();

  function listPage(page) {
    var asked = parseIds(page.dataset.asked);
    var found = parseIds(page.dataset.found);
    var stored = read();
    if (!asked.length && stored.length) { // "My list" opened from a plain link
      window.location.replace(listUrl(stored));
      return;
    }
    var mine = sameIds(asked, stored);
    if (mine && !sameIds(found, stored)) { write(found); } // forget programs no longer listed

    var place = window.localStorage.getItem(PLACE_KEY);
    var placeField = document.getElementById("compare-location");
    if (place && placeField) {
      placeField.value = place;
      placeField.disabled = false;
    }

    var tools = document.getElementById("list-tools");
    if (!tools) { return; }
    tools.hidden = false;
    var message = document.getElementById("list-message");
    var share = document.getElementById("share-list");
    share.addEventListener("click", function () {
      var url = share.dataset.url;
      if (navigator.share) {
        navigator.share({ title: share.dataset.title, url: url }).catch(function () {});
      } else if (navigator.clipboard) {
        navigator.clipboard.writeText(url).then(
          function () { message.textContent = share.dataset.copied; },
          function () { message.textContent = share.dataset.failed; }
        );
      } else {
        message.textContent = share.dataset.failed;
      }
    });
    document.getElementById("print-list").addEventListener("click", function () { window.print(); });

    // A list shared from another device: offer to keep it here as well.
    var keep = document.getElementById("keep-list");
    if (!mine && found.some(function (id) { return read().indexOf(id) < 0; })) {
      keep.hidden = false;
      keep.addEventListener("click", function () {
        var ids = read();
        found.forEach(function (id) { if (ids.indexOf(id) < 0 && ids.length < max) { ids.push(id); } });
        write(ids);
        refresh();
        keep.hidden = true;
        share.focus(); // the button pressed is gone: keep the keyboard's place nearby
        message.textContent = keep.dataset.kept;
      });
    }
    // Remove on one's own list: forget it here too, then follow the link to the shorter list.
    if (mine) {
      document.querySelectorAll(".remove-link[data-remove-id]").forEach(function (remove) {
        remove.addEventListener("click", function () {
          var id = Number(remove.dataset.removeId);
          write(read().filter(function (other) { return other !== id; }));
        });
      });
    }
  }
})();
