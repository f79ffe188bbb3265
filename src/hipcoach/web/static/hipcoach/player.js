// The guided player: runs a session's timed steps with a countdown, spoken cues and a beep at each change,
// keeps its place in localStorage (a reload resumes at the same step), then saves the log through the
// outbox (kept on the phone while offline). No framework, no build step.
//
// ?speed=N runs the clock N times faster (0.1-1000): for demos and the browser tests.

import { flush, has, put, send } from "./outbox.js";

const $ = (selector) => document.querySelector(selector);
const data = JSON.parse($("#player-data").textContent);
const steps = data.session.timeline;
const items = data.session.items;
const total = steps.reduce((sum, step) => sum + step.seconds, 0);
const startOf = [];
steps.reduce((sum, step, index) => ((startOf[index] = sum), sum + step.seconds), 0);

const speed = (() => {
  const asked = Number(new URLSearchParams(location.search).get("speed"));
  return Number.isFinite(asked) && asked > 0 ? Math.min(Math.max(asked, 0.1), 1000) : 1;
})();
const TICK_MS = 100;
const STATE_KEY = `hipcoach.play.${data.user}.${data.scope}`;
const MUTE_KEY = "hipcoach.muted";

function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

function loadState() {
  try {
    const saved = JSON.parse(localStorage.getItem(STATE_KEY));
    if (saved && saved.fingerprint === data.fingerprint && !saved.sent) return saved;
  } catch {
    /* a damaged entry: start afresh */
  }
  return {
    key: newKey(),
    fingerprint: data.fingerprint,
    step: 0,
    elapsed: 0,
    played: 0,
    done: [],
    startedAt: null,
    finishedAt: null,
  };
}

let state = loadState();
let running = false;
let timer = null;
let last = 0;
let muted = localStorage.getItem(MUTE_KEY) === "1";
let audio = null;
let wakeLock = null;

const storeState = () => localStorage.setItem(STATE_KEY, JSON.stringify(state));

// ---------------------------------------------------------------------------------------------------
// Sound, voice and the screen
// ---------------------------------------------------------------------------------------------------

function beep(frequency = 880, ms = 160) {
  if (muted) return;
  try {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    const now = audio.currentTime;
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.2, now);
    gain.gain.exponentialRampToValueAtTime(0.001, now + ms / 1000);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(now);
    oscillator.stop(now + ms / 1000);
  } catch {
    /* no audio here: the screen still shows every change */
  }
}

function speak(text) {
  if (muted || !("speechSynthesis" in window) || typeof SpeechSynthesisUtterance === "undefined") return;
  try {
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
  } catch {
    /* no voice here */
  }
}

async function keepAwake() {
  if (!running || !("wakeLock" in navigator) || document.visibilityState !== "visible") return;
  try {
    wakeLock = await navigator.wakeLock.request("screen");
  } catch {
    wakeLock = null;
  }
}

function letSleep() {
  if (wakeLock) wakeLock.release().catch(() => {});
  wakeLock = null;
}

document.addEventListener("visibilitychange", keepAwake);

// ---------------------------------------------------------------------------------------------------
// The figure: the current step's drill on the side being worked, moving only while that side works
// ---------------------------------------------------------------------------------------------------

const figureBox = $("#player-figure");
const stillOnly = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
const figureTexts = new Map();
let figureShown = null;
let figureSynced = null;

// The side a step shows: its own, else (setup, rest, the change into a drill) the side its drill works next.
function figureSide(index) {
  for (let at = index; at < steps.length && steps[at].item === steps[index].item; at += 1) {
    if (steps[at].side === "left" || steps[at].side === "right") return steps[at].side;
  }
  return "right";
}

function figureUrl(index) {
  const drill = encodeURIComponent(items[steps[index].item].drill_id);
  return `${data.figure.url.replace(data.figure.id, drill)}?side=${figureSide(index)}`;
}

// Each figure is fetched once (the server lets the phone keep it for a day); a failed fetch leaves the box empty.
function figureText(url) {
  if (!figureTexts.has(url)) {
    figureTexts.set(url, fetch(url).then((response) => (response.ok ? response.text() : "")).catch(() => ""));
  }
  return figureTexts.get(url);
}

// The animation's clock follows the step's: it starts with the work, stands still while paused or between
// sides, and catches up with the countdown after a jump (or a faster clock in a demo).
function syncFigure(index, finished) {
  const svg = figureBox.querySelector("svg");
  if (!svg || typeof svg.pauseAnimations !== "function") return;
  const moving = running && !finished && !stillOnly && steps[index].kind === "work" && speed === 1;
  const moment = `${index}|${moving}`;
  // At a demo's faster clock the figure stands at the step's time, set on every tick; else only when the moment changes.
  if (moment === figureSynced && speed === 1) return;
  figureSynced = moment;
  const seconds = steps[index].kind === "work" && !stillOnly ? state.elapsed : 0;
  svg.setCurrentTime(seconds);
  if (moving) svg.unpauseAnimations();
  else svg.pauseAnimations();
}

function showFigure(index, finished) {
  const url = figureUrl(index);
  if (url !== figureShown) {
    figureShown = url;
    figureSynced = null;
    figureText(url).then((text) => {
      if (figureShown !== url) return; // the runner has moved on while it loaded
      figureBox.innerHTML = text;
      figureBox.dataset.drill = items[steps[index].item].drill_id;
      figureBox.dataset.side = figureSide(index);
      syncFigure(index, finished);
    });
  } else {
    syncFigure(index, finished);
  }
  // While the session runs, the next step's figure loads ahead, so a change of drill or side shows it at once.
  if (running && index + 1 < steps.length) figureText(figureUrl(index + 1));
}

// ---------------------------------------------------------------------------------------------------
// The clock
// ---------------------------------------------------------------------------------------------------

function announce() {
  beep();
  if (state.step < steps.length) speak(steps[state.step].cue);
}

function advance(seconds) {
  let left = seconds;
  while (left > 0 && state.step < steps.length) {
    const remaining = steps[state.step].seconds - state.elapsed;
    if (left < remaining) {
      state.elapsed += left;
      state.played += left;
      left = 0;
    } else {
      left -= remaining;
      state.played += remaining;
      if (steps[state.step].kind === "work" && !state.done.includes(state.step)) state.done.push(state.step);
      state.step += 1;
      state.elapsed = 0;
      if (state.step < steps.length) announce();
    }
  }
  if (state.step >= steps.length) finish();
}

function tick() {
  const now = performance.now();
  advance(((now - last) / 1000) * speed);
  last = now;
  storeState();
  render();
}

function play() {
  if (state.step >= steps.length) return;
  if (!state.startedAt) state.startedAt = new Date().toISOString();
  running = true;
  last = performance.now();
  clearInterval(timer);
  timer = setInterval(tick, TICK_MS);
  if (audio && audio.state === "suspended") audio.resume();
  announce();
  keepAwake();
  render();
}

function pause() {
  running = false;
  clearInterval(timer);
  if ("speechSynthesis" in window) window.speechSynthesis.cancel();
  letSleep();
  storeState();
  render();
}

function jump(step) {
  state.step = Math.max(0, Math.min(step, steps.length - 1));
  state.elapsed = 0;
  last = performance.now();
  storeState();
  if (running) announce();
  render();
}

// ---------------------------------------------------------------------------------------------------
// The screen
// ---------------------------------------------------------------------------------------------------

function clock(seconds) {
  const whole = Math.max(0, Math.ceil(seconds - 1e-9));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

function sideWords(step) {
  if (!step.side || step.side === "both") return "";
  return step.side.toUpperCase();
}

function describe(step) {
  const item = items[step.item];
  const side = sideWords(step).toLowerCase();
  if (step.kind === "work") return `${item.name}${side ? `, ${side} side` : ""}`;
  if (step.kind === "switch-side") return `switch to the ${side || "other"} side`;
  if (step.kind === "rest") return `rest ${step.seconds} s`;
  if (step.kind === "transition") return `change position for ${item.name}`;
  return `${item.name} (get ready)`;
}

function render() {
  const index = Math.min(state.step, steps.length - 1);
  const step = steps[index];
  const item = items[step.item];
  const finished = state.step >= steps.length;
  const left = finished ? 0 : step.seconds - state.elapsed;
  $("#step-kind").textContent = finished ? "Done" : data.words[step.kind];
  $("#step-count").textContent = `Step ${index + 1} of ${steps.length}`;
  $("#drill-name").textContent = item.name;
  $("#player-side").textContent = finished ? "" : sideWords(step);
  $("#countdown").textContent = clock(left);
  $("#step-progress").value = step.seconds ? Math.min(1, state.elapsed / step.seconds) : 1;
  $("#cue").textContent = finished ? "Session done. How did it go?" : step.cue;
  const set = step.set_number && item.sets > 1 ? ` · set ${step.set_number} of ${item.sets}` : "";
  $("#dose").textContent = finished ? "" : `${item.dose}${set}`;
  // The clinician's note for the drill, when the runner's prescription gives one.
  const note = finished ? "" : item.note || "";
  $("#drill-note").textContent = note ? `Your clinician: ${note}` : "";
  $("#drill-note").hidden = !note;
  const done = finished ? total : startOf[index] + state.elapsed;
  $("#session-progress").value = total ? done / total : 1;
  $("#session-left").textContent = `${clock(total - done)} left`;
  $("#next").textContent = index + 1 < steps.length ? `Next: ${describe(steps[index + 1])}` : "Next: how did it go?";
  $("#toggle").textContent = running ? "Pause" : state.startedAt ? "Resume" : "Start";
  for (const part of [".controls", "#end", "#next"]) $(part).hidden = finished;
  // The switch is pressed while the sound is on; its name stays "Sound" so a screen reader says "Sound, pressed".
  $("#mute").setAttribute("aria-pressed", String(!muted));
  $("#mute .mute-state").textContent = muted ? "off" : "on";
  showFigure(index, finished);
  document.title = finished ? "Done · hipcoach" : `${clock(left)} ${item.name} · hipcoach`;
}

// ---------------------------------------------------------------------------------------------------
// The end: rate, save (through the outbox)
// ---------------------------------------------------------------------------------------------------

const form = $("#log-form");
const status = $("#save-status");

function finish() {
  const first = !state.finishedAt;
  running = false;
  clearInterval(timer);
  letSleep();
  if (first) {
    state.finishedAt = new Date().toISOString();
    beep(660, 400);
    speak("Session done. How did it go?");
    tickDone();
  }
  storeState();
  $("#finish").hidden = false;
  render();
  if (first) $("#finish").scrollIntoView({ behavior: "smooth" });
}

function tickDone() {
  for (const index of state.done) {
    const step = steps[index];
    const box = form.querySelector(`input[name="sides-${step.item}"][value="${step.side}"]`);
    if (box) box.checked = true;
  }
}

function payload() {
  const drills = [];
  const rows = [];
  items.forEach((item, index) => {
    const sides = [...form.querySelectorAll(`input[name="sides-${index}"]:checked`)].map((box) => box.value);
    if (!sides.length) return;
    const [amount, sets] = data.prescribed[index];
    drills.push({
      drill_id: item.drill_id,
      amount,
      sets,
      sides_done: sides,
      rating: form.querySelector(`input[name="rating-${index}"]:checked`).value,
      pain: Number(form.querySelector(`select[name="pain-${index}"]`).value),
    });
    rows.push(index);
  });
  return {
    rows,
    body: {
      client_key: state.key,
      context: data.session.context,
      planned_for: data.planned_for,
      started_at: state.startedAt,
      finished_at: state.finishedAt || new Date().toISOString(),
      seconds_done: Math.round(state.played),
      session: data.session,
      drills,
      notes: form.elements.notes.value,
      red_flag: form.elements.red_flag.checked,
      source: "web",
    },
  };
}

let rowsSent = [];

function showErrors(detail) {
  for (const box of form.querySelectorAll("[data-error-for]")) box.hidden = true;
  const general = [];
  for (const problem of Array.isArray(detail) ? detail : [{ msg: String(detail) }]) {
    const loc = problem.loc || [];
    if (loc[1] === "drills" && Number.isInteger(loc[2]) && rowsSent[loc[2]] !== undefined) {
      const box = form.querySelector(`[data-error-for="${rowsSent[loc[2]]}"]`);
      box.textContent = problem.msg;
      box.hidden = false;
    } else {
      general.push(problem.msg);
    }
  }
  return general.join(" ");
}

function showSaved(body) {
  state.sent = true;
  localStorage.removeItem(STATE_KEY);
  status.textContent = "Saved.";
  status.className = "save-status saved";
  form.hidden = true;
  const list = $("#changes");
  list.replaceChildren();
  for (const line of [...(body.advice || []), ...(body.changes || []).map((change) => change.reason)]) {
    const entry = document.createElement("li");
    entry.textContent = line;
    list.append(entry);
  }
  $("#result").hidden = false;
}

function showResult(result) {
  const button = $("#save");
  button.disabled = false;
  if (result.state === "saved") {
    showSaved(result.body || {});
  } else if (result.state === "offline") {
    status.textContent = "Saved on this phone; will send when you are back online.";
    status.className = "save-status waiting";
    form.hidden = true;
  } else if (result.state === "later") {
    status.textContent =
      `Saved on this phone; the server could not take it yet (${result.status}). ` +
      "It is sent again when you next open hipcoach signed in.";
    status.className = "save-status waiting";
    form.hidden = true;
  } else if (result.state === "rejected") {
    const message = showErrors(result.body ? result.body.detail : "");
    status.textContent = `Not saved: ${message || "see the drills marked above"}`;
    status.className = "save-status problem";
    form.hidden = false;
  }
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const { rows, body } = payload();
  if (!body.drills.length) {
    status.textContent = "Tick the sides you did for at least one drill: there is nothing to save yet.";
    status.className = "save-status problem";
    return;
  }
  rowsSent = rows;
  const entry = { url: data.api, user: data.user, payload: body };
  put(entry);
  $("#save").disabled = true;
  status.textContent = "Saving…";
  showResult(await send(entry));
});

window.addEventListener("hipcoach:sent", (event) => {
  if (event.detail.clientKey === state.key) showResult(event.detail);
});

form.elements.red_flag.addEventListener("change", (event) => {
  $("#red-flag-advice").hidden = !event.target.checked;
});

// ---------------------------------------------------------------------------------------------------
// Controls
// ---------------------------------------------------------------------------------------------------

$("#toggle").addEventListener("click", () => (running ? pause() : play()));
$("#skip").addEventListener("click", () => (state.step + 1 >= steps.length ? finish() : jump(state.step + 1)));
$("#back").addEventListener("click", () => jump(state.elapsed > 2 ? state.step : state.step - 1));
$("#end").addEventListener("click", () => {
  state.step = steps.length;
  finish();
});
$("#mute").addEventListener("click", () => {
  muted = !muted;
  localStorage.setItem(MUTE_KEY, muted ? "1" : "0");
  if (muted && "speechSynthesis" in window) window.speechSynthesis.cancel();
  render();
});
window.addEventListener("pagehide", storeState);

if (speed !== 1) {
  $("#speed").hidden = false;
  $("#speed").textContent = `clock ×${speed}`;
}
if (state.finishedAt) {
  // A reload after the end: the form again (what was done ticked), or the log waiting in the outbox.
  state.step = steps.length;
  tickDone();
  $("#finish").hidden = false;
  if (has(state.key)) {
    showResult({ state: "offline" });
    if (navigator.onLine) status.textContent = "Saved on this phone; sending…";
  }
}
render();
if (!document.querySelector("script[data-outbox-user]")) {
  flush(data.user);
  window.addEventListener("online", () => flush(data.user));
}
