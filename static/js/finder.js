// Progressive enhancements for every public page. The pages work fully without this file.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  var wide = window.matchMedia("(min-width: 48rem)");

  // Announce the result count once the page has loaded: a live region filled after load is
  // read out by screen readers, one already filled in the HTML is not.
  var status = document.getElementById("results-status");
  if (status && status.dataset.announce) {
    window.setTimeout(function () { status.textContent = status.dataset.announce; }, 400);
  }

  // Filters: a column that is always open on wide screens; on a phone's results page, a
  // full-screen panel opened by "Filters (3)" or "Edit", closed by Close, Escape or its button.
  var filters = document.getElementById("filters");
  var onResults = !!document.querySelector(".results-page");
  if (filters) {
    if (wide.matches) { filters.open = true; }
    var summary = filters.querySelector("summary");
    var close = document.getElementById("filters-close");
    var panelMode = function () { return onResults && !wide.matches; };
    if (close) {
      close.hidden = false;
      close.addEventListener("click", function () { filters.open = false; });
    }
    // The panel covers the page only when the visitor opened it (not a <details> open on load).
    var asked = false;
    summary.addEventListener("click", function () { asked = true; });
    filters.addEventListener("toggle", function () {
      var open = filters.open && asked && panelMode();
      var wasOpen = root.classList.contains("panel-open");
      root.classList.toggle("panel-open", open);
      if (open && close) { close.focus(); } else if (wasOpen) { summary.focus(); }
      if (!filters.open) { asked = false; }
    });
    filters.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && panelMode() && filters.open) { filters.open = false; }
    });
    var edit = document.getElementById("edit-filters");
    if (edit) {
      edit.addEventListener("click", function (event) {
        if (!panelMode()) { return; }
        event.preventDefault();
        asked = true;
        filters.open = true;
      });
    }
    // Once a box is ticked or unticked, the count on "Show N results" no longer holds.
    var show = document.getElementById("show-results");
    if (show) {
      filters.addEventListener("change", function () { show.textContent = show.dataset.generic; });
    }
  }

  // "Use my location": search around the browser's position, or say plainly why we cannot.
  var locate = document.getElementById("locate");
  var message = document.getElementById("locate-message");
  var input = document.getElementById("id_location");
  if (locate && input && "geolocation" in navigator) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      message.textContent = locate.dataset.finding;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          // Three decimals (about 100 m) is plenty for a 5-mile search and keeps the URL vague.
          input.value = position.coords.latitude.toFixed(3) + "," + position.coords.longitude.toFixed(3);
          input.form.submit();
        },
        function (error) {
          message.textContent = error.code === 1 ? locate.dataset.denied : locate.dataset.unavailable;
          input.focus();
        },
        { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 }
      );
    });
  }

  // "Back to results": the server can only give the search in its canonical order (pages are
  // shared by the cache); when the visitor came from that same search, return to its exact URL.
  var back = document.getElementById("back-to-results");
  if (back && document.referrer) {
    try {
      var came = new URL(document.referrer);
      var search = new URL(back.href);
      if (came.origin === search.origin && came.pathname === search.pathname &&
          sortedParams(came) === sortedParams(search)) {
        back.href = came.href;
      }
    } catch (e) { /* not a URL: keep the server's link */ }
  }

  // Detail page: Share (the system's share sheet where there is one, else copy the link) and Print.
  var tools = document.getElementById("page-tools");
  if (tools) {
    tools.hidden = false;
    var share = document.getElementById("share");
    var said = document.getElementById("tools-message");
    share.addEventListener("click", function () {
      var url = share.dataset.url;
      if (navigator.share) {
        navigator.share({ title: share.dataset.title, url: url }).catch(function () {});
      } else if (navigator.clipboard) {
        navigator.clipboard.writeText(url).then(
          function () { said.textContent = share.dataset.copied; },
          function () { said.textContent = share.dataset.failed; }
        );
      } else {
        said.textContent = share.dataset.failed;
      }
    });
    document.getElementById("print").addEventListener("click", function () { window.print(); });
  }

  function sortedParams(url) {
    var pairs = [];
    url.searchParams.forEach(function (value, key) { pairs.push(key + "=" + value); });
    return pairs.sort().join("&");
  }
})();
