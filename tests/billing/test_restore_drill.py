"""The restore drill (scripts/restore_drill.sh) as CI runs it: the demo data dumped with pg_dump -Fc, restored
with pg_restore, and the restored database whole (verify_archive) with the source's counts. About 1.5 minutes
on two busy cores, the source copied from the suite's migrated template instead of migrated from nothing."""

import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests import schema_copy

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

DRILL = Path(settings.BASE_DIR) / "scripts" / "restore_drill.sh"


def test_a_dump_restores_into_a_whole_archive(on_postgres):
    template = schema_copy.PostgresTemplate(schema_copy.migrations_key())
    env = {**os.environ, "RESTORE_DRILL_TEMPLATE": template.name} if template.current() else dict(os.environ)
    with schema_copy.locked(template.lock):  # no test process copies the template while the drill does
        done = subprocess.run([str(DRILL)], capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    counts = dict(line.split() for line in done.stdout.splitlines() if line.startswith(("source:", "restored:")))
    assert counts["source:"] == counts["restored:"]
    assert done.stdout.count("保存記録に欠けはありません：5件の確認をすべて通過しました。") == 2  # staff read Japanese
    assert "restore drill: databases dropped" in done.stdout
