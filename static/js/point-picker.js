/* Picking a space's point on a map: a click sets the latitude and longitude inputs
 * of the form and a marker; typing into the inputs moves the marker.
 *
 * The map box (#point-picker) is hidden in the HTML and shown only here, so without
 * JavaScript the form is the two plain number inputs. The box names its inputs
 * and texts in data- attributes: the page has no inline script (strict CSP).
 */
(function () {
  "use strict";

  var DISTRICT_CENTRE = [52.503, 13.42]; // Friedrichshain-Kreuzberg
  var DECIMALS = 6; // as many as the model stores (about 10 cm)

  var container = document.getElementById("point-picker");
  if (!container || !window.L) {
    return;
  }
  var data = container.dataset;
  var latInput = document.getElementById(data.latInput);
  var lonInput = document.getElementById(data.lonInput);
  if (!latInput || !lonInput) {
    return;
  }
  container.hidden = false;
  var help = document.getElementById(container.getAttribute("aria-describedby"));
  if (help) {
    help.hidden = false;
  }

  var map = L.map(container, {
    zoomControl: false,
    scrollWheelZoom: false,
    keyboard: true,
  }).setView(DISTRICT_CENTRE, 13);
  L.control.zoom({ zoomInTitle: data.zoomIn, zoomOutTitle: data.zoomOut }).addTo(map);
  if (data.tileUrl) {
    L.tileLayer(data.tileUrl, { maxZoom: 19, attribution: data.tileAttribution || "" }).addTo(map);
  } else {
    container.classList.add("space-map-plain");
  }

  var marker = null;

  function parse(input) {
    var value = parseFloat(String(input.value).replace(",", "."));
    return isFinite(value) ? value : null;
  }

  function placeMarker(latlng) {
    if (marker) {
      marker.setLatLng(latlng);
    } else {
      marker = L.marker(latlng, { title: data.markerTitle, alt: data.markerTitle, keyboard: false });
      marker.addTo(map);
    }
    container.dataset.point = latlng.lat.toFixed(DECIMALS) + "," + latlng.lng.toFixed(DECIMALS);
  }

  function fromInputs() {
    var lat = parse(latInput);
    var lon = parse(lonInput);
    if (lat === null || lon === null || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
      return false;
    }
    placeMarker(L.latLng(lat, lon));
    return true;
  }

  map.on("click", function (event) {
    var latlng = event.latlng;
    latInput.value = latlng.lat.toFixed(DECIMALS);
    lonInput.value = latlng.lng.toFixed(DECIMALS);
    // Other scripts and the browser's form state hear of the change as from typing.
    latInput.dispatchEvent(new Event("change", { bubbles: true }));
    lonInput.dispatchEvent(new Event("change", { bubbles: true }));
    placeMarker(latlng);
  });

  latInput.addEventListener("change", fromInputs);
  lonInput.addEventListener("change", fromInputs);

  if (fromInputs()) {
    map.setView(marker.getLatLng(), 16);
  }
})();
