/* The space map: markers from the GeoJSON endpoint on a Leaflet map.
 *
 * Everything the script needs comes from data- attributes of #space-map, so the
 * page has no inline script. Without a tile URL the markers show on a plain
 * background. User text only ever reaches the page through textContent.
 */
(function () {
  "use strict";

  var DISTRICT_CENTRE = [52.503, 13.42]; // Friedrichshain-Kreuzberg
  var container = document.getElementById("space-map");
  if (!container || !window.L) {
    return;
  }
  var data = container.dataset;

  var map = L.map(container, {
    zoomControl: false,
    scrollWheelZoom: false,
    keyboard: true,
  }).setView(DISTRICT_CENTRE, 13);
  L.control
    .zoom({ zoomInTitle: data.zoomIn, zoomOutTitle: data.zoomOut })
    .addTo(map);

  if (data.tileUrl) {
    L.tileLayer(data.tileUrl, {
      maxZoom: 19,
      attribution: data.tileAttribution || "",
    }).addTo(map);
  } else {
    container.classList.add("space-map-plain");
  }

  function popupContent(properties) {
    var box = document.createElement("div");
    var heading = document.createElement("p");
    heading.className = "space-map-popup-title";
    var link = document.createElement("a");
    link.href = properties.url;
    link.textContent = properties.name;
    heading.appendChild(link);
    box.appendChild(heading);
    var line = document.createElement("p");
    line.textContent =
      properties.address + ", " + properties.postcode + " · " + properties.status_label;
    box.appendChild(line);
    return box;
  }

  function showError() {
    var error = document.getElementById("space-map-error");
    if (error) {
      error.textContent = data.loadError;
      error.hidden = false;
    }
  }

  fetch(data.geojsonUrl, {
    credentials: "same-origin",
    headers: { Accept: "application/geo+json" },
  })
    .then(function (response) {
      if (!response.ok) {
        throw new Error("GeoJSON answered " + response.status);
      }
      return response.json();
    })
    .then(function (collection) {
      var layer = L.geoJSON(collection, {
        pointToLayer: function (feature, latlng) {
          var properties = feature.properties;
          return L.marker(latlng, {
            title: properties.name,
            alt: properties.name + " – " + properties.status_label,
            keyboard: true,
          });
        },
        onEachFeature: function (feature, marker) {
          marker.bindPopup(popupContent(feature.properties));
        },
      }).addTo(map);
      container.dataset.markers = String(layer.getLayers().length);
      if (layer.getLayers().length) {
        map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 16 });
      }
    })
    .catch(function () {
      showError();
    });
})();
