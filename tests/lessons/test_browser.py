"""In a real browser: JupyterLab runs every lesson that has a slider, and after Run All and after each slider move
or dropdown change the figure under the slider has real pixels (not a blank image); sliders redraw their printed
values; JupyterLab runs with the course's defaults; the built website shows its maths and figures and asks no other
site for anything.

Needs Debian's Chromium (/usr/bin/chromium; `python3 course.py test` installs it on CI) and the learner's
environment with JupyterLab (`.venv`, passed as NNFS_LAB_PYTHON by `course.py test`). Without them the tests
skip and say why. Screenshots go to _build/screenshots/.

No test here retries: a figure that comes out blank once fails the run. To see the failure these tests guard
against, run them with NNFS_COMMS_OVER_SUBSHELLS=perCommTarget (JupyterLab 4.6's own default, which the course
turns off: jupyter-config/README.md).
"""

import base64
import importlib.util
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from nnfromscratch_tools.manifest import load_book

BOOK = load_book()
ROOT = BOOK.root

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "_build" / "screenshots"
LAB_PYTHON = os.environ.get("NNFS_LAB_PYTHON", "")
COMMS = os.environ.get("NNFS_COMMS_OVER_SUBSHELLS")  # only to reproduce the blank figures; see the docstring

if not CHROMIUM.exists():
    pytest.skip("no browser: Debian's chromium is not installed at /usr/bin/chromium "
                "(`python3 course.py test` installs it on CI)", allow_module_level=True)
if not LAB_PYTHON or not Path(LAB_PYTHON).exists():
    pytest.skip("no JupyterLab environment: run the tests with `python3 course.py test`, which creates .venv "
                "and sets NNFS_LAB_PYTHON", allow_module_level=True)
playwright = pytest.importorskip("playwright.sync_api", reason="the Python playwright package is not installed")

pytestmark = [pytest.mark.browser, pytest.mark.kernel]  # Chromium, and JupyterLab's kernels
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
# Every lesson whose source makes a slider (a `*_widget()` call).
WIDGET_LESSONS = [l for l in BOOK.lessons if re.search(r"^\w*\.?\w+_widget\(", l.source.read_text(), re.M)]


def course_script():
    spec = importlib.util.spec_from_file_location("course_script", ROOT / "course.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def browser():
    SHOTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on 127.0.0.1 with a token, as `course.py lab` starts it (the course's defaults on
    JUPYTER_CONFIG_PATH), serving copies of the lessons with sliders (the repository stays untouched)."""
    root = tmp_path_factory.mktemp("lab")
    for lesson in WIDGET_LESSONS:
        shutil.copy(lesson.path, root)
    # Render every cell (JupyterLab 4 only renders cells near the viewport by default) and fetch no news.
    settings = tmp_path_factory.mktemp("lab-settings")
    (settings / "@jupyterlab" / "notebook-extension").mkdir(parents=True)
    (settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings").write_text(
        '{"windowingMode": "none"}')
    (settings / "@jupyterlab" / "apputils-extension").mkdir(parents=True)
    (settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}')
    if COMMS:  # a user setting wins over the course's default
        (settings / "@jupyterlab" / "apputils-extension" / "kernels-settings.jupyterlab-settings").write_text(
            json.dumps({"commsOverSubshells": COMMS}))
    port, token = free_port(), "nnfs-browser-test"
    cmd = [LAB_PYTHON, "-m", "jupyterlab", "--no-browser", f"--ServerApp.port={port}", "--ServerApp.ip=127.0.0.1",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", "--ServerApp.allow_root=True",
           f"--LabApp.user_settings_dir={settings}"]
    env = course_script().jupyter_environment({**os.environ, "JUPYTER_CONFIG_DIR": str(root / ".jupyter")})
    log = open(root / "server.log", "w")
    server = subprocess.Popen(cmd, cwd=root, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start: " + (root / "server.log").read_text()[-2000:])
        yield url, token
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the server and every kernel it started
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


def test_jupyterlab_runs_with_the_course_default_comms_over_subshells_disabled(lab):
    url, token = lab
    with urllib.request.urlopen(f"{url}/lab/api/settings/@jupyterlab/apputils-extension:kernels-settings"
                                f"?token={token}", timeout=10) as response:
        setting = json.load(response)
    assert setting["schema"]["properties"]["commsOverSubshells"]["default"] == "disabled"
    if not COMMS:
        assert "commsOverSubshells" not in (setting.get("raw") or "{}")


def open_and_run_all(browser, lab, notebook):
    """Open a notebook in a fresh JupyterLab workspace, run all cells, and wait until every cell has run."""
    url, token = lab
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    workspace = notebook.replace(".ipynb", "")
    page.goto(f"{url}/lab/workspaces/{workspace}/tree/{notebook}?reset&token={token}")
    page.wait_for_selector(".jp-NotebookPanel", timeout=90_000)
    page.wait_for_selector("text=Python 3 (ipykernel) | Idle", timeout=90_000)
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.locator(".lm-Menu-item", has_text="Run All Cells").first.click()
    # Every code cell shows an execution count (none is still [*] or [ ]) and the kernel is idle.
    page.wait_for_function("""() => {
        const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
        const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(p => p.textContent.trim());
        return prompts.length > 0 && prompts.every(p => /^\\[\\d+\\]:$/.test(p))
            && document.body.textContent.includes('Python 3 (ipykernel) | Idle');
    }""", timeout=180_000)
    return page


FIGURE_READY = """w => { const img = w.querySelector('.widget-output img');
    return !!img && img.complete && img.naturalWidth > 0 ? img.getAttribute('src') : null; }"""


def figure_pixels(src):
    """The share of a PNG's pixels that are drawn (neither transparent nor white), from its data URL."""
    import matplotlib.image as mpimg
    import numpy as np

    assert src.startswith("data:image/png;base64,"), src[:40]
    rgba = mpimg.imread(io.BytesIO(base64.b64decode(src.split(",", 1)[1])), format="png")
    if rgba.shape[-1] == 3:
        rgba = np.concatenate([rgba, np.ones(rgba.shape[:2] + (1,))], axis=-1)
    drawn = (rgba[..., 3] > 0.1) & (rgba[..., :3].min(axis=-1) < 0.9)
    return float(drawn.mean())


def assert_drawn(widget, what):
    """The widget's figure is loaded and has real pixels (a blank figure is a transparent or white PNG)."""
    widget.page.wait_for_function(f"w => ({FIGURE_READY})(w)", arg=widget.element_handle(), timeout=60_000)
    src = widget.evaluate(FIGURE_READY)
    share = figure_pixels(src)
    assert share > 0.02, f"{what}: the figure under the slider is blank ({share:.1%} of its pixels drawn)"
    return src


def output_text(widget):
    return widget.locator(".widget-output").first.inner_text()


def change_and_check(widget, what, act):
    """Do `act` (move a slider or pick a dropdown entry), wait for the printed output to change and the new
    figure to load, and check that it is drawn."""
    before_text = output_text(widget)
    act()
    widget.page.wait_for_function(
        f"([w, before]) => w.querySelector('.widget-output').innerText !== before && ({FIGURE_READY})(w)",
        arg=[widget.element_handle(), before_text], timeout=60_000)
    time.sleep(0.3)  # let the output settle (the text arrives before the figure)
    return assert_drawn(widget, what)


@pytest.mark.parametrize("lesson", WIDGET_LESSONS, ids=lambda l: l.stem)
def test_every_slider_figure_is_drawn_after_run_all_and_after_each_change(browser, lab, lesson):
    page = open_and_run_all(browser, lab, lesson.path.name)
    try:
        widgets = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .widget-interact")
        expected = len(re.findall(r"^\w*\.?\w+_widget\(", lesson.source.read_text(), re.M))
        assert widgets.count() == expected, f"{lesson.stem}: {widgets.count()} sliders shown, {expected} made"
        for i in range(expected):
            widget = widgets.nth(i)
            widget.evaluate("el => el.scrollIntoView({block: 'center'})")
            what = f"{lesson.stem}, slider {i + 1}"
            first = assert_drawn(widget, f"{what} after Run All")
            handle = widget.locator(".noUi-handle").first
            for move in range(2):  # one key press is one move: one redraw
                handle.focus()
                after = change_and_check(widget, f"{what}, move {move + 1}", lambda: page.keyboard.press("ArrowRight"))
                assert after != first, f"{what}: the figure was not redrawn"
                first = after
            dropdowns = widget.locator("select")
            if dropdowns.count():
                select = dropdowns.first
                other = (select.evaluate("s => s.selectedIndex") + 1) % select.locator("option").count()
                change_and_check(widget, f"{what}, dropdown", lambda: select.select_option(index=other))
            widget.screenshot(path=str(SHOTS / f"{lesson.stem}_slider{i + 1}.png"))
    except Exception:
        page.screenshot(path=str(SHOTS / f"{lesson.stem}_failure.png"))
        raise
    finally:
        page.close()


def settled(widget, seconds=1.5):
    """Wait until the kernel is idle and the widget's printed output has stopped changing; return that output."""
    page = widget.page
    text = None
    for _ in range(240):
        page.wait_for_selector("text=Python 3 (ipykernel) | Idle", timeout=120_000)
        now = output_text(widget)
        if now == text:
            return now
        text = now
        time.sleep(seconds)
    pytest.fail("the slider's output never settled")


def the_widget_printing(page, text):
    """The slider widget whose printed output includes `text` (waiting for it to appear)."""
    page.wait_for_function("""text => [...document.querySelectorAll('.widget-interact')]
        .some(w => w.querySelector('.widget-output') && w.querySelector('.widget-output').innerText.includes(text))""",
                           arg=text, timeout=60_000)
    widgets = page.locator(".widget-interact")
    return next(widgets.nth(i) for i in range(widgets.count()) if text in output_text(widgets.nth(i)))


def test_sliders_print_the_values_of_the_lesson(browser, lab):
    """The printed values follow the slider: whatever value the keyboard left it at, the output is the package's
    computation at that value (read back from the slider's readout), and lesson 02's slider starts at the lesson's
    loss."""
    import numpy as np

    import nnfromscratch as nn
    from nnfromscratch.visuals import widgets as lesson_widgets

    page = open_and_run_all(browser, lab, BOOK.lesson("01").path.name)
    try:
        widget = the_widget_printing(page, "sigmoid(z) = 0.59447593")
        widget.evaluate("el => el.scrollIntoView({block: 'center'})")
        widget.locator(".noUi-handle").first.focus()
        for _ in range(20):
            page.keyboard.press("ArrowRight")
        text = settled(widget)
        z = float(widget.locator(".widget-readout").first.inner_text())
        assert z > 0.3825, "the slider did not move"
        assert f"z = {z:.4f}   sigmoid(z) = {float(nn.sigmoid(z)):.8f}" in text
        assert_drawn(widget, "01: after 20 presses")
    finally:
        page.close()
    page = open_and_run_all(browser, lab, BOOK.lesson("02").path.name)
    try:
        widget = the_widget_printing(page, "L = ")
        text = settled(widget)
        assert f"L = {nn.trace().loss:.8f}" in text, "lesson 02's slider does not start at the lesson's loss"
    finally:
        page.close()
    page = open_and_run_all(browser, lab, BOOK.lesson("06").path.name)
    try:
        # alpha is a log slider from 1e-3 to 1e4 in steps of 10**0.25, starting at 0.1
        widget = the_widget_printing(page, "Converging: the loss fell from 0.3037 to 0.021010")
        widget.evaluate("el => el.scrollIntoView({block: 'center'})")
        widget.locator(".noUi-handle").first.focus()
        for _ in range(16):
            page.keyboard.press("ArrowRight")
        text = settled(widget)
        alpha = 10 ** (round(4 * np.log10(float(widget.locator(".widget-readout").first.inner_text()))) / 4)
        assert alpha > 1, "the slider did not move"
        assert lesson_widgets.training_run(alpha)[1] in text
        assert_drawn(widget, f"06: alpha = {alpha:g}")
    finally:
        page.close()


def test_the_built_book_shows_maths_and_figures_and_asks_no_other_site(browser, tmp_path):
    from nnfromscratch_tools.site import build_site

    build_site(tmp_path)
    page = browser.new_page(viewport={"width": 1100, "height": 1400})
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((tmp_path / f"{BOOK.lesson('03').stem}.html").as_uri())
    page.wait_for_load_state("networkidle")
    block = page.locator("math[display=block]").first
    box = block.bounding_box()
    assert box and box["height"] > 20 and box["width"] > 50, "display maths is not rendered"
    natural = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.complete && i.naturalWidth)")
    assert natural and all(w and w > 100 for w in natural), "a figure did not load"
    elsewhere = [u for u in requests if not u.startswith(("file:", "data:"))]
    assert not elsewhere, f"the page asked other sites for {elsewhere}"
    page.screenshot(path=str(SHOTS / "book_03_output_gradients.png"))
    page.close()
