"""In a real browser: JupyterLab runs two lessons, a slider moved with the keyboard redraws its output and figure,
and the built website shows its maths and figures.

Needs Debian's Chromium (/usr/bin/chromium; `python3 course.py test` installs it on CI) and the learner's
environment with JupyterLab (`.venv`, passed as NNFS_LAB_PYTHON by `course.py test`). Without them the tests
skip and say why. Screenshots go to _build/screenshots/.
"""

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from nnfromscratch_tools.manifest import load_book

ROOT = load_book().root

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "_build" / "screenshots"
LAB_PYTHON = os.environ.get("NNFS_LAB_PYTHON", "")

if not CHROMIUM.exists():
    pytest.skip("no browser: Debian's chromium is not installed at /usr/bin/chromium "
                "(`python3 course.py test` installs it on CI)", allow_module_level=True)
if not LAB_PYTHON or not Path(LAB_PYTHON).exists():
    pytest.skip("no JupyterLab environment: run the tests with `python3 course.py test`, which creates .venv "
                "and sets NNFS_LAB_PYTHON", allow_module_level=True)
playwright = pytest.importorskip("playwright.sync_api", reason="the Python playwright package is not installed")

BOOK = load_book()
pytestmark = [pytest.mark.browser, pytest.mark.kernel]  # Chromium, and JupyterLab's kernels
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


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
    """JupyterLab on 127.0.0.1 with a token, serving copies of two lessons (the repository stays untouched)."""
    root = tmp_path_factory.mktemp("lab")
    for name in ("01", "06"):
        shutil.copy(BOOK.lesson(name).path, root)
    # Render every cell (JupyterLab 4 only renders cells near the viewport by default) and fetch no news.
    settings = tmp_path_factory.mktemp("lab-settings")
    (settings / "@jupyterlab" / "notebook-extension").mkdir(parents=True)
    (settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings").write_text(
        '{"windowingMode": "none"}')
    (settings / "@jupyterlab" / "apputils-extension").mkdir(parents=True)
    (settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}')
    port, token = free_port(), "nnfs-browser-test"
    cmd = [LAB_PYTHON, "-m", "jupyterlab", "--no-browser", f"--ServerApp.port={port}", "--ServerApp.ip=127.0.0.1",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", "--ServerApp.allow_root=True",
           f"--LabApp.user_settings_dir={settings}"]
    log = open(root / "server.log", "w")
    server = subprocess.Popen(cmd, cwd=root, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                              env={**os.environ, "JUPYTER_CONFIG_DIR": str(root / ".jupyter")})
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


def open_and_run_all(browser, lab, notebook, last_output):
    """Open a notebook in a fresh JupyterLab workspace, run all cells, wait until `last_output` is shown."""
    url, token = lab
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    workspace = notebook.replace(".ipynb", "")
    page.goto(f"{url}/lab/workspaces/{workspace}/tree/{notebook}?reset&token={token}")
    page.wait_for_selector(".jp-NotebookPanel", timeout=90_000)
    page.wait_for_selector("text=Python 3 (ipykernel) | Idle", timeout=90_000)
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.locator(".lm-Menu-item", has_text="Run All Cells").first.click()
    page.wait_for_function("text => document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)')"
                           ".textContent.includes(text)", arg=last_output, timeout=120_000)
    return page


WIDGET_WITH_TEXT = """([text]) => [...document.querySelectorAll('.widget-interact')]
    .findIndex(w => w.textContent.includes(text) && w.querySelector('img') && w.querySelector('img').complete)"""


def move_slider(page, handle_index, key, presses, before_text, after_text):
    """Move one slider of the interact widget showing `before_text` with the keyboard, until it shows
    `after_text`; return (widget, figure source before, figure source after)."""
    page.wait_for_function("text => (" + WIDGET_WITH_TEXT + ")([text]) >= 0", arg=before_text, timeout=60_000)
    index = page.evaluate("text => (" + WIDGET_WITH_TEXT + ")([text])", before_text)
    widget = page.locator(".widget-interact").nth(index)
    widget.evaluate("el => el.scrollIntoView({block: 'center'})")
    before = widget.locator("img").first.get_attribute("src")
    widget.locator(".noUi-handle").nth(handle_index).focus()
    for _ in range(presses):
        page.keyboard.press(key)
    page.wait_for_function("text => (" + WIDGET_WITH_TEXT + ")([text]) >= 0", arg=after_text, timeout=20_000)
    return widget, before, widget.locator("img").first.get_attribute("src")


def slider_scenario(browser, lab, lesson, last_output, presses, before_text, after_text):
    """Open, run all, move the slider; retried on a fresh page up to 3 times, because a widget's first
    render in JupyterLab occasionally misses its kernel messages (a timing of the frontend, not of the lesson).
    Returns (page, widget, figure before, figure after)."""
    for attempt in range(3):
        page = open_and_run_all(browser, lab, BOOK.lesson(lesson).path.name, last_output)
        try:
            widget, before, after = move_slider(page, 0, "ArrowRight", presses, before_text, after_text)
            return page, widget, before, after
        except playwright.TimeoutError:
            page.screenshot(path=str(SHOTS / f"{lesson}_attempt{attempt + 1}_timeout.png"))
            page.close()
            if attempt == 2:
                raise


def test_forward_pass_slider_redraws(browser, lab):
    page, widget, before, after = slider_scenario(browser, lab, "01", "✅ forward_prop(W, b, x)", 20,
                                                  "sigmoid(z) = 0.59447593", "z = 0.4325   sigmoid(z) = 0.60647049")
    assert before and after and before != after, "the figure was not redrawn"
    widget.screenshot(path=str(SHOTS / "01_forward_pass_slider.png"))
    page.screenshot(path=str(SHOTS / "01_forward_pass.png"))
    page.close()


def test_gradient_descent_learning_rate_slider_redraws(browser, lab):
    # alpha is a log slider from 1e-3 to 1e4 in steps of 10**0.25: 16 presses right take 0.1 to 1000
    page, widget, before, after = slider_scenario(browser, lab, "06", "✅ train(example, alpha, steps)", 16,
                                                  "Converging: the loss fell from 0.3037 to 0.021010",
                                                  "Saturated: alpha = 1000 is too large")
    assert before and after and before != after, "the loss curve was not redrawn"
    widget.screenshot(path=str(SHOTS / "06_gradient_descent_slider.png"))
    page.close()


def test_the_built_book_shows_maths_and_figures(browser, tmp_path):
    from nnfromscratch_tools.site import build_site

    build_site(tmp_path)
    page = browser.new_page(viewport={"width": 1100, "height": 1400})
    page.goto((tmp_path / f"{BOOK.lesson('03').stem}.html").as_uri())
    block = page.locator("math[display=block]").first
    box = block.bounding_box()
    assert box and box["height"] > 20 and box["width"] > 50, "display maths is not rendered"
    natural = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.complete && i.naturalWidth)")
    assert natural and all(w and w > 100 for w in natural), "a figure did not load"
    page.screenshot(path=str(SHOTS / "book_03_output_gradients.png"))
    page.close()
