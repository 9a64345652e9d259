// The results map and the detail page's small map, drawn with Leaflet from our own static files.
// Everything on the map is also in the page's list, so any failure here leaves a working page.
(function () {
  "use strict";
  if (!window.L) { return; }

  function tiles(element) {
    return L.tileLayer(element.dataset.tilesUrl, {
      maxZoom: 18,
      attribution: element.dataset.attribution
    });
  }

  function numberedIcon(number) {
    return L.divIcon({
      className: "map-marker",
      html: "<span>" + number + "</span>",
      iconSize: [30, 30],
      iconAnchor: [15, 15],
      popupAnchor: [0, -12]
    });
  }

  function popup(point) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.number + ". " + point.name;
    box.appendChild(link);
    if (point.distance) {
      var distance = document.createElement("p");
      distance.textContent = point.distance;
      box.appendChild(distance);
    }
    return box;
  }

  function resultsMap(element) {
    var data = document.getElementById(element.dataset.pointsId);
    var points = data ? JSON.parse(data.textContent) : [];
    if (!points.length) { return; }
    element.hidden = false;
    var map = L.map(element, { scrollWheelZoom: false });
    tiles(element).addTo(map);
    var bounds = [];
    points.forEach(function (point) {
      var marker = L.marker([point.lat, point.lon], {
        icon: numberedIcon(point.number),
        title: point.number + ". " + point.name,
        alt: point.number + ". " + point.name
      });
      marker.bindPopup(popup(point)).addTo(map);
      bounds.push([point.lat, point.lon]);
    });
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 14 });

    // Phones: the map folds away above the list behind a button; wide screens show it beside.
    var toggle = document.getElementById("map-toggle");
    var panel = document.getElementById("map-panel");
    panel.classList.add("map-ready");
    // Only now does the layout make room for the map beside the list; the map was drawn at its
    // old size, so measure it again and fit the markers to what is really shown.
    panel.parentElement.classList.add("map-ready");
    map.invalidateSize();
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 14 });
    if (toggle) {
      toggle.hidden = false;
      toggle.addEventListener("click", function () {
        var open = panel.classList.toggle("map-open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        toggle.textContent = open ? toggle.dataset.hide : toggle.dataset.show;
        map.invalidateSize();
        if (open) { map.fitBounds(bounds, { padding: [24, 24], maxZoom: 14 }); }
      });
    }
  }

  function programMap(element) {
    var point = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)];
    if (isNaN(point[0]) || isNaN(point[1])) { return; }
    element.hidden = false;
    var map = L.map(element, { scrollWheelZoom: false }).setView(point, 14);
    tiles(element).addTo(map);
    L.marker(point, { icon: numberedIcon("•"), title: element.dataset.name, alt: element.dataset.name }).addTo(map);
  }

  var results = document.getElementById("results-map");
  if (results) { resultsMap(results); }
  var program = document.getElementById("program-map");
  if (program) { programMap(program); }
})();
