/* Upload page, progressive enhancement: drag-and-drop and a progress bar over the plain form.
   Without this script the form posts as usual and the server shows the results page. */
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form || !window.FormData || !window.XMLHttpRequest) {
    return;
  }
  var input = document.getElementById("files");
  var zone = document.getElementById("dropzone");
  var bar = document.getElementById("upload-progress");
  var status = document.getElementById("upload-status");
  var button = form.querySelector("button[type=submit]");

  Array.prototype.forEach.call(document.querySelectorAll(".js-only"), function (el) {
    el.hidden = false;
  });

  function describe() {
    var count = input.files.length;
    status.textContent = count ? count + (count === 1 ? " file chosen." : " files chosen.") : "";
  }

  ["dragenter", "dragover"].forEach(function (type) {
    zone.addEventListener(type, function (event) {
      event.preventDefault();
      zone.classList.add("over");
    });
  });
  ["dragleave", "drop"].forEach(function (type) {
    zone.addEventListener(type, function (event) {
      event.preventDefault();
      zone.classList.remove("over");
    });
  });
  zone.addEventListener("drop", function (event) {
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      describe();
    }
  });
  input.addEventListener("change", describe);

  form.addEventListener("submit", function (event) {
    if (!input.files.length) {
      return; /* the browser's own "required" message explains */
    }
    event.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (progress) {
      if (progress.lengthComputable) {
        bar.hidden = false;
        bar.value = Math.round((progress.loaded * 100) / progress.total);
        status.textContent = "Sending… " + bar.value + "%";
      }
    });
    xhr.addEventListener("load", function () {
      var data = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch (ignored) {
        data = null;
      }
      if (xhr.status === 201 && data && data.url) {
        status.textContent = "Received. Showing the results…";
        window.location.assign(data.url);
        return;
      }
      status.textContent = (data && data.error) || "The upload failed (" + xhr.status + "). Please try again.";
      button.disabled = false;
    });
    xhr.addEventListener("error", function () {
      status.textContent = "The connection was lost before the files were received. Please try again.";
      button.disabled = false;
    });
    button.disabled = true;
    xhr.send(new FormData(form));
  });
})();
