// The results map and the detail page's small map, drawn with Leaflet from our own static files.
// Everything on the map is also in the page's list, so any failure here leaves a working page.
//
// Privacy: drawing a map makes the browser ask the tile server for the area around a search.
// So nothing is drawn (and no tile is asked for) until the visitor presses "Show map"; the choice
// is kept for this visit only (sessionStorage: gone when the tab closes), never sent to us.
//
// Leaflet itself is fetched only when a map is first shown (the script tag's data-* name its
// files): a results page nobody maps downloads none of it.
(function () {
  "use strict";
  var REMEMBER = "finder-map-shown";
  var assets = document.currentScript ? document.currentScript.dataset : {};
  var leaflet = null;

  function fetchAsset(tag, attributes) {
    return new Promise(function (resolve, reject) {
      var element = document.createElement(tag);
      Object.keys(attributes).forEach(function (name) { element[name] = attributes[name]; });
      element.onload = resolve;
      element.onerror = reject;
      document.head.appendChild(element);
    });
  }

  // Leaflet, then its marker clusters (which extend it), once per page.
  function withLeaflet(then) {
    if (!leaflet) {
      leaflet = Promise.all([
        fetchAsset("link", { rel: "stylesheet", href: assets.leafletCss }),
        fetchAsset("link", { rel: "stylesheet", href: assets.clusterCss }),
        fetchAsset("script", { src: assets.leafletJs })
      ]).then(function () {
        return fetchAsset("script", { src: assets.clusterJs });
      });
    }
    leaflet.then(then, function () { /* no map: the list holds everything the map would */ });
  }

  function remembered() {
    try { return window.sessionStorage.getItem(REMEMBER) === "1"; } catch (e) { return false; }
  }

  function remember(shown) {
    try {
      if (shown) { window.sessionStorage.setItem(REMEMBER, "1"); } else { window.sessionStorage.removeItem(REMEMBER); }
    } catch (e) { /* storage refused: the map is simply asked for again on the next page */ }
  }

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

  // The link back from a program's page: carry this search along, as the list's links do.
  function withSearch(url) {
    var query = window.location.search.slice(1);
    return query ? url + "?from=" + encodeURIComponent(query) : url;
  }

  function popup(point) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = withSearch(point.url);
    link.textContent = point.number + ". " + point.name;
    box.appendChild(link);
    if (point.distance) {
      var distance = document.createElement("p");
      distance.textContent = point.distance;
      box.appendChild(distance);
    }
    return box;
  }

  // "Show map" / "Hide map": draw(element) runs the first time the map is shown.
  function consent(element, draw) {
    var box = document.getElementById("map-consent");
    var toggle = document.getElementById("map-toggle");
    var drawn = null;
    function show(open) {
      element.hidden = !open;
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      toggle.textContent = open ? toggle.dataset.hide : toggle.dataset.show;
      if (open) {
        withLeaflet(function () {
          if (element.hidden) { return; }  // hidden again while Leaflet was on its way
          if (!drawn) { drawn = draw(); } else { drawn.refresh(); }
        });
      }
    }
    box.hidden = false;
    toggle.addEventListener("click", function () {
      var open = element.hidden;
      remember(open);
      show(open);
      // On a phone the map opens above the list: bring it into view.
      if (open && !window.matchMedia("(min-width: 48rem)").matches) { element.scrollIntoView(); }
    });
    if (remembered()) { show(true); }
  }

  function resultsMap(element) {
    var data = document.getElementById(element.dataset.pointsId);
    var points = data ? JSON.parse(data.textContent) : [];
    if (!points.length) { return; }
    consent(element, function () {
      var map = L.map(element, { scrollWheelZoom: false });
      tiles(element).addTo(map);
      // Programs at the same address (or a few streets apart) share one numbered circle until
      // zoomed in: pins on top of each other could not be told apart or clicked.
      var label = element.dataset.clusterLabel || "";
      var group = L.markerClusterGroup
        ? L.markerClusterGroup({
          showCoverageOnHover: false,
          maxClusterRadius: 36,
          spiderfyOnMaxZoom: true,
          iconCreateFunction: function (cluster) {
            var count = cluster.getChildCount();
            return L.divIcon({
              className: "map-cluster",
              html: "<span>" + count + '<span class="visually-hidden"> ' + label + "</span></span>",
              iconSize: [38, 38],
              iconAnchor: [19, 19]
            });
          }
        })
        : L.layerGroup();
      var markers = {};
      var bounds = [];
      points.forEach(function (point) {
        var marker = L.marker([point.lat, point.lon], {
          icon: numberedIcon(point.number),
          title: point.number + ". " + point.name,
          alt: point.number + ". " + point.name
        });
        marker.bindPopup(popup(point));
        markers[point.number] = marker;
        group.addLayer(marker);
        bounds.push([point.lat, point.lon]);
      });
      group.addTo(map);
      var fit = function () {
        map.invalidateSize();
        map.fitBounds(bounds, { padding: [24, 24], maxZoom: 14 });
      };
      fit();
      keepInStep(group, markers);
      return { refresh: fit };
    });
  }

  // Hovering or focusing a result card lights up its marker (or the circle it is grouped in).
  function keepInStep(group, markers) {
    var lit = null;
    function light(card, on) {
      var marker = markers[card.dataset.number];
      if (!marker) { return; }
      var shown = group.getVisibleParent ? group.getVisibleParent(marker) : marker;
      var icon = shown && shown.getElement ? shown.getElement() : null;
      if (lit && lit !== icon) { lit.classList.remove("is-active"); }
      if (icon) { icon.classList.toggle("is-active", on); }
      lit = on ? icon : null;
    }
    document.querySelectorAll(".result[data-number]").forEach(function (card) {
      card.addEventListener("mouseenter", function () { light(card, true); });
      card.addEventListener("mouseleave", function () { light(card, false); });
      card.addEventListener("focusin", function () { light(card, true); });
      card.addEventListener("focusout", function () { light(card, false); });
    });
    // And the other way: a marker under the pointer outlines its card.
    Object.keys(markers).forEach(function (number) {
      var card = document.getElementById("result-" + number);
      if (!card) { return; }
      markers[number].on("mouseover", function () { card.classList.add("is-active"); });
      markers[number].on("mouseout", function () { card.classList.remove("is-active"); });
    });
  }

  function programMap(element) {
    var point = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)];
    if (isNaN(point[0]) || isNaN(point[1])) { return; }
    consent(element, function () {
      var map = L.map(element, { scrollWheelZoom: false }).setView(point, 14);
      tiles(element).addTo(map);
      L.marker(point, { icon: numberedIcon("•"), title: element.dataset.name, alt: element.dataset.name }).addTo(map);
      return { refresh: function () { map.invalidateSize(); map.setView(point, 14); } };
    });
  }

  var results = document.getElementById("results-map");
  if (results) { resultsMap(results); }
  var program = document.getElementById("program-map");
  if (program) { programMap(program); }
})();
