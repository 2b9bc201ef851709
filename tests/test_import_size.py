"""An import refuses a file far larger than any profiles export before reading it: chosen
by mistake (a video, a disk image), read whole it would take the app's memory, and the
window with it. The real command line, on a sparse file of the size."""

from __future__ import annotations

from pathlib import Path

from kombo_desktop.core.profile_files import LARGEST_IMPORT_BYTES
from kombo_desktop.core.profiles import ProfileStore
from tests.cli_support import cli, output


def test_a_file_larger_than_any_export_is_refused_unread(app_home: Path, tmp_path: Path) -> None:
    huge = tmp_path / "holiday.mp4"
    with huge.open("wb") as file:
        file.truncate(LARGEST_IMPORT_BYTES + 1)  # sparse: no disk, no time
    result = cli(app_home, "profiles", "import", str(huge))
    # Before: read whole (400 MB took 945 MB of memory), then refused for its format.
    assert result.returncode == 2, output(result)
    assert f"{huge} is too large to be a profiles export (10 MB; an export is at most 10 MB)" in (
        result.stderr
    )
    assert ProfileStore().profiles() == []
