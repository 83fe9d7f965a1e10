extension Dashboard {
    /// `/static/app.js`: an enhancement only. Pages work without it; with it the step menu
    /// applies itself, a crosshair follows the pointer across both charts with the values
    /// under it, and a page whose window ends now reloads every minute while visible.
    public static let script = #"""
        "use strict";
        document.documentElement.classList.add("js");
        document.addEventListener("DOMContentLoaded", function () {
          document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
            select.addEventListener("change", function () { select.form.submit(); });
          });

          var charts = Array.prototype.map.call(document.querySelectorAll("figure.chart"), function (figure) {
            var svg = figure.querySelector("svg.chart-svg");
            var marks = Array.prototype.map.call(svg.querySelectorAll(".bars rect, .points circle"), function (mark) {
              var title = mark.querySelector("title");
              var x = mark.tagName === "rect"
                ? parseFloat(mark.getAttribute("x")) + parseFloat(mark.getAttribute("width")) / 2
                : parseFloat(mark.getAttribute("cx"));
              return { x: x, text: title ? title.textContent : "" };
            });
            return { svg: svg, marks: marks, line: svg.querySelector(".crosshair"),
                     readout: figure.querySelector(".readout") };
          });

          function show(percent) {
            charts.forEach(function (chart) {
              if (!chart.line) { return; }
              chart.line.setAttribute("x1", percent + "%");
              chart.line.setAttribute("x2", percent + "%");
              chart.line.classList.add("on");
              var best = null;
              chart.marks.forEach(function (mark) {
                if (best === null || Math.abs(mark.x - percent) < Math.abs(best.x - percent)) { best = mark; }
              });
              if (chart.readout) { chart.readout.textContent = best ? best.text : ""; }
            });
          }

          function hide() {
            charts.forEach(function (chart) {
              if (chart.line) { chart.line.classList.remove("on"); }
              if (chart.readout) { chart.readout.textContent = ""; }
            });
          }

          charts.forEach(function (chart) {
            chart.svg.addEventListener("pointermove", function (event) {
              var box = chart.svg.getBoundingClientRect();
              if (box.width <= 0) { return; }
              var percent = (event.clientX - box.left) / box.width * 100;
              show(Math.min(Math.max(percent, 0), 100));
            });
            chart.svg.addEventListener("pointerleave", hide);
          });

          var refresh = parseInt(document.body.getAttribute("data-refresh") || "0", 10);
          if (refresh > 0) {
            window.setInterval(function () {
              var active = document.activeElement;
              var busy = active && (active.tagName === "INPUT" || active.tagName === "SELECT");
              if (document.visibilityState === "visible" && !busy) { window.location.reload(); }
            }, refresh * 1000);
          }
        });
        """#
}
