// Progressive enhancements for every public page. The pages work fully without this file.
(function () {
  "use strict";

  // Announce the result count once the page has loaded: a live region filled after load is
  // read out by screen readers, one already filled in the HTML is not.
  var status = document.getElementById("results-status");
  if (status && status.dataset.announce) {
    window.setTimeout(function () { status.textContent = status.dataset.announce; }, 400);
  }

  // On wide screens there is room to show the filters open; on phones they stay folded away.
  var filters = document.getElementById("filters");
  if (filters && window.matchMedia("(min-width: 48rem)").matches) {
    filters.open = true;
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
})();
