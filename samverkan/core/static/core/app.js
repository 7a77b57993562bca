/* Samverkan: small progressive enhancements. Everything works without it. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  // Values from the server for CSS (a percentage, a category's colour) come as
  // data-css-vars="--value: 42; --colour: #abc" and are set as custom properties through the
  // CSSOM: the Content Security Policy allows no style="" attribute (docs/security.md).
  function applyCssVars(root) {
    if (!root || !root.querySelectorAll) return;
    var elements = Array.prototype.slice.call(root.querySelectorAll("[data-css-vars]"));
    if (root.hasAttribute && root.hasAttribute("data-css-vars")) elements.push(root);
    elements.forEach(function (el) {
      el.getAttribute("data-css-vars").split(";").forEach(function (declaration) {
        var colon = declaration.indexOf(":");
        if (colon < 0) return;
        var name = declaration.slice(0, colon).trim(), value = declaration.slice(colon + 1).trim();
        if (name.indexOf("--") === 0 && value) el.style.setProperty(name, value);
      });
    });
  }
  window.samverkanApplyCssVars = applyCssVars;
  // Content swapped in by htmx (job progress, partials).
  document.addEventListener("htmx:load", function (e) { applyCssVars(e.detail && e.detail.elt); });

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    applyCssVars(document);

    // A filter box that folds away on a phone until it is used (data-fold-on-phone).
    if (window.matchMedia && window.matchMedia("(max-width: 560px)").matches) {
      document.querySelectorAll("details[data-fold-on-phone]").forEach(function (d) {
        d.removeAttribute("open");
      });
    }

    // Phone menu button.
    var header = document.querySelector(".site-header");
    var toggle = document.querySelector(".nav-toggle");
    if (header && toggle) {
      toggle.addEventListener("click", function () {
        var open = header.classList.toggle("nav-open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }

    // Close the user menu on Escape or a click elsewhere.
    document.addEventListener("click", function (e) {
      document.querySelectorAll("details.user-menu[open]").forEach(function (d) {
        if (!d.contains(e.target)) d.removeAttribute("open");
      });
    });
    document.addEventListener("keydown", function (e) {
      if (e.key !== "Escape") return;
      document.querySelectorAll("details.user-menu[open]").forEach(function (d) {
        d.removeAttribute("open");
        var s = d.querySelector("summary");
        if (s) s.focus();
      });
    });
  });

  // Delegated handlers also cover content swapped in by htmx.
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) {
      el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
    }
  });
  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest(".alert-close");
    if (btn) {
      var alert = btn.closest(".alert");
      if (alert) alert.remove();
      return;
    }
    var confirmEl = e.target.closest && e.target.closest("[data-confirm]");
    if (confirmEl && !window.confirm(confirmEl.getAttribute("data-confirm"))) {
      e.preventDefault();
    }
  });
})();
