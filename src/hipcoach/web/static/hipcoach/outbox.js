// The outbox: session logs wait on this phone until the server has them. Nothing a runner did is lost.
// Every page of a signed-in runner loads this module (base.html), so a log saved offline is sent on the
// next page load or when the browser comes back online. A retried send carries the same client key, so
// the server stores one log however often it arrives.
//
// A log the server refuses for good (any 4xx but the four below, e.g. 409: its key names a different log;
// 422: a field it cannot take; 400: a body it cannot read; 413: too large) is never dropped: it moves to a
// second store, "needs attention", which Today and the player show with what the server said, a download
// of the log as JSON, a way to send it again, and one to dismiss it. A refused log that reported a new
// warning sign tells the runner, prominently, to see a clinician.
//
// Not refusals: 401 (signed out) and 403 (a stale session or CSRF token) keep the log to send after the
// runner signs in again; 408 and 429 (and 5xx, and no answer) are "try later", waiting as long as the
// server's Retry-After asks.

const KEY = "hipcoach.outbox";
const REFUSED_KEY = "hipcoach.refused";
const sending = new Set();
// 4xx answers that are not about the log: signed out, a stale session or CSRF token, a timeout, too many.
const NOT_A_REFUSAL = new Set([401, 403, 408, 429]);
// A Retry-After longer than this is not believed: the log is sent again on a page load after a day.
const LONGEST_WAIT_MS = 24 * 60 * 60 * 1000;

function refusedForGood(status) {
  return status >= 400 && status < 500 && !NOT_A_REFUSAL.has(status);
}

// When the server asks to be sent this again (Retry-After: seconds or an HTTP date), in ms; null if it did not.
function retryAt(response) {
  const header = (response.headers.get("Retry-After") || "").trim();
  if (!header) return null;
  const at = /^\d+$/.test(header) ? Date.now() + Number(header) * 1000 : Date.parse(header);
  return Number.isNaN(at) ? null : Math.min(at, Date.now() + LONGEST_WAIT_MS);
}

function read(key = KEY) {
  try {
    return JSON.parse(localStorage.getItem(key) || "{}") || {};
  } catch {
    return {};
  }
}

function write(entries, key = KEY) {
  localStorage.setItem(key, JSON.stringify(entries));
}

function forget(clientKey, key) {
  const entries = read(key);
  if (!(clientKey in entries)) return;
  delete entries[clientKey];
  write(entries, key);
}

// Wait to be sent (again), now: a log put back in the outbox no longer needs attention (nor waits out a
// Retry-After).
export function put(entry) {
  const entries = read();
  entries[entry.payload.client_key] = { url: entry.url, user: entry.user, payload: entry.payload };
  write(entries);
  forget(entry.payload.client_key, REFUSED_KEY);
  render();
}

export function has(clientKey) {
  return clientKey in read();
}

function drop(clientKey) {
  forget(clientKey, KEY);
}

// Not sent again before then (flush passes over it; sending it by hand with put/send does not wait).
function notBefore(clientKey, at) {
  const entries = read();
  if (!(clientKey in entries)) return;
  if (at === null) delete entries[clientKey].notBefore;
  else entries[clientKey].notBefore = at;
  write(entries);
}

// Kept before it leaves the outbox, so that no moment holds the log in neither store.
function keepRefused(entry, status, body) {
  const refused = read(REFUSED_KEY);
  refused[entry.payload.client_key] = {
    url: entry.url,
    user: entry.user,
    payload: entry.payload,
    refused: { status, detail: body ? body.detail : null, at: new Date().toISOString() },
  };
  write(refused, REFUSED_KEY);
}

// This runner's refused logs, the oldest refusal first.
export function refused(user) {
  return Object.values(read(REFUSED_KEY))
    .filter((entry) => entry && entry.payload && entry.user === user)
    .sort((a, b) => String(a.refused && a.refused.at).localeCompare(String(b.refused && b.refused.at)));
}

export function dismiss(clientKey) {
  forget(clientKey, REFUSED_KEY);
  render();
}

function csrfToken() {
  const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
  if (cookie) return decodeURIComponent(cookie.slice("csrftoken=".length));
  const field = document.querySelector("input[name=csrfmiddlewaretoken]");
  return field ? field.value : "";
}

function announce(clientKey, result) {
  window.dispatchEvent(new CustomEvent("hipcoach:sent", { detail: { clientKey, ...result } }));
}

// Send one entry. Returns {state}: "saved" (the server has it), "offline" (kept), "later" (kept: the
// server could not take it now: signed out, a stale session, busy or down), or "rejected" (the server
// refused it for good: a 4xx but 401/403/408/429; kept under "needs attention").
export async function send(entry) {
  const clientKey = entry.payload.client_key;
  if (!navigator.onLine) return { state: "offline" };
  if (sending.has(clientKey)) return { state: "sending" };
  sending.add(clientKey);
  let response;
  try {
    response = await fetch(entry.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(entry.payload),
    });
  } catch {
    sending.delete(clientKey);
    return { state: "offline" };
  }
  sending.delete(clientKey);
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  let result;
  if (response.ok) {
    drop(clientKey);
    forget(clientKey, REFUSED_KEY);
    result = { state: "saved", status: response.status, body };
  } else if (refusedForGood(response.status)) {
    // An answer that is not JSON (e.g. a proxy's page for 413) still says something: its status text.
    if (!body || body.detail === undefined) body = { detail: response.statusText || `HTTP ${response.status}` };
    keepRefused(entry, response.status, body);
    drop(clientKey);
    result = { state: "rejected", status: response.status, body };
  } else {
    notBefore(clientKey, retryAt(response));
    result = { state: "later", status: response.status, body };
  }
  announce(clientKey, result);
  render();
  return result;
}

// Send every waiting log of this runner (another runner's stay until they sign in here again), but those
// the server asked to wait (Retry-After); none more after "too many requests".
export async function flush(user) {
  const now = Date.now();
  const entries = Object.values(read()).filter((entry) => entry.user === user && !(entry.notBefore > now));
  for (const entry of entries) {
    const result = await send(entry);
    if (result.state === "offline" || result.status === 429) break;
  }
}

// ---------------------------------------------------------------------------------------------------
// "Needs attention": the refused logs, on a page with a #needs-attention section (Today, the player)
// ---------------------------------------------------------------------------------------------------

const script = document.querySelector("script[data-outbox-user]");
const user = script ? Number(script.dataset.outboxUser) : null;

function problemsOf(detail) {
  if (Array.isArray(detail)) return detail.map((problem) => (problem && problem.msg) || JSON.stringify(problem));
  return detail ? [typeof detail === "string" ? detail : JSON.stringify(detail)] : [];
}

function dayOf(payload) {
  return payload.planned_for || String(payload.finished_at || "").slice(0, 10) || "an unknown day";
}

export function download(entry) {
  const blob = new Blob([JSON.stringify(entry, null, 2)], { type: "application/json" });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = `hipcoach-log-${dayOf(entry.payload)}-${entry.payload.client_key}.json`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}

function element(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function card(entry, advice) {
  const payload = entry.payload;
  const drills = Array.isArray(payload.drills) ? payload.drills : [];
  const pain = Math.max(0, ...drills.map((drill) => Number(drill.pain) || 0), Number(payload.pain) || 0);
  const status = entry.refused ? entry.refused.status : "";
  const said = problemsOf(entry.refused ? entry.refused.detail : null).join(" ") || "no reason given";
  const kind = String(payload.context || "session").replace(/-/g, " ");
  const node = element("article", { className: "finding refused-log" });
  node.dataset.clientKey = payload.client_key;
  node.append(element("h3", { textContent: `Not saved: ${kind} session of ${dayOf(payload)}` }));
  if (payload.red_flag) {
    node.append(
      element(
        "div",
        { className: "referral urgent red-flag-refused", role: "alert" },
        element("strong", {
          textContent:
            "You reported a new warning sign after this session, and hipcoach did not get it. " +
            "See a clinician before you train again.",
        }),
        element("p", { textContent: advice }),
      ),
    );
  }
  node.append(
    element("p", { className: "error refused-reason", textContent: `The server refused it (${status}): ${said}` }),
    element("p", {
      className: "muted",
      textContent:
        `${drills.length} drill${drills.length === 1 ? "" : "s"}, pain up to ${pain} of 10` +
        (payload.notes ? `; notes: ${payload.notes}` : "") +
        ". Download it so it is not lost (e.g. to show a clinician), send it again, or dismiss it.",
    }),
  );
  const save = element("button", {
    type: "button",
    className: "primary refused-download",
    textContent: "Download (JSON)",
  });
  save.addEventListener("click", () => download(entry));
  const again = element("button", { type: "button", className: "refused-send", textContent: "Send again" });
  again.addEventListener("click", () => {
    put(entry);
    send(entry);
  });
  const forgetIt = element("button", { type: "button", className: "refused-dismiss", textContent: "Dismiss" });
  forgetIt.addEventListener("click", () => dismiss(payload.client_key));
  node.append(element("div", { className: "actions" }, save, again, forgetIt));
  return node;
}

function render() {
  const box = document.querySelector("#needs-attention");
  if (!box || user === null) return;
  const entries = refused(user);
  const advice = box.dataset.redFlagAdvice || "See a clinician before you train again.";
  box.querySelector("#needs-attention-list").replaceChildren(...entries.map((entry) => card(entry, advice)));
  box.hidden = entries.length === 0;
}

if (user !== null) {
  render();
  window.addEventListener("storage", (event) => {
    if (event.key === REFUSED_KEY) render();
  });
  flush(user);
  window.addEventListener("online", () => flush(user));
}
