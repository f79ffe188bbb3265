// Proposes the browser's time zone (an IANA name such as "Australia/Sydney") in a form's hidden
// time_zone field, so the runner's "today" starts in their own time zone; Settings can change it.
(function () {
  var field = document.getElementById("time-zone");
  if (!field || field.value) return;
  try {
    field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (e) {
    // An old browser without Intl: the server's time zone stays until the runner picks one in Settings.
  }
})();
