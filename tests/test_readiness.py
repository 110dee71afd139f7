"""`workshop check`: the readiness check a facilitator runs the evening before."""

from workshop import data, readiness


def test_a_complete_install_is_ready(capsys):
    assert readiness.run_cli() == 0
    out = capsys.readouterr().out
    assert 'kernel "python3" ✓' in out and "----->" not in out


def test_missing_data_is_named_with_its_fix(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WORKSHOP_DATA_DIR", str(tmp_path))  # an empty data folder
    assert readiness.run_cli() == 1
    out = capsys.readouterr().out
    assert "platforms.csv missing" in out and "-----> " in out
    assert data.data_dir() == tmp_path


def test_version_comparison():
    assert readiness._version_tuple("2.14.1") >= readiness._version_tuple("2.6")
    assert readiness._version_tuple("8.1.9") < readiness._version_tuple("8.10")
    assert readiness._version_tuple("1.0rc1") == (1, 0)
