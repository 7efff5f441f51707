// minsheng: the little script pages use. Charts: every element with class "chart" and a
// data-option attribute (an ECharts option as JSON) becomes an ECharts chart; maps also
// carry data-geo (the URL of a GeoJSON file, registered under data-map). Pages work without
// it: every chart's numbers are also in a table beside it.
(function () {
  "use strict";
  function draw(el) {
    if (!window.echarts) return;
    var option;
    try { option = JSON.parse(el.getAttribute("data-option")); } catch (e) { return; }
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function start() {
    document.querySelectorAll(".chart[data-option]").forEach(function (el) {
      var geo = el.getAttribute("data-geo");
      if (geo && window.echarts) {
        fetch(geo).then(function (r) { return r.json(); }).then(function (json) {
          echarts.registerMap(el.getAttribute("data-map") || "map", json);
          draw(el);
        });
      } else {
        draw(el);
      }
    });
    // Confirm buttons: <button data-confirm="…">.
    document.querySelectorAll("[data-confirm]").forEach(function (b) {
      b.addEventListener("click", function (ev) {
        if (!confirm(b.getAttribute("data-confirm"))) ev.preventDefault();
      });
    });
  }
  // After every deferred script (echarts.min.js comes after this one).
  if (document.readyState !== "complete") window.addEventListener("load", start);
  else start();
})();
