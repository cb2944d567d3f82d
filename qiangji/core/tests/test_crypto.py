"""Field encryption (ADR 0003, ADR 0021): AES-256-GCM and SM4-GCM, HMAC-SHA256 and HMAC-SM3 blind indexes,
prefixed ciphertexts that keep decrypting after a change, and rotate_keys (batches, resumable)."""

import base64
import hashlib
import hmac
import os

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.management import call_command

from qiangji.core import crypto
from qiangji.core.models import AuditEntry, Job
from qiangji.members.models import Member
from qiangji.testing import add_member

OLD, NEW = "old-secret-for-tests", "new-secret-for-tests"


def _v1(secret: str, text: str) -> str:
    """A value in the first format (v1, before key ids), as stored by older releases."""
    root = hashlib.sha256(secret.encode()).digest()
    aead = AESGCM(hmac.new(root, b"qiangji-encryption", hashlib.sha256).digest())
    nonce = os.urandom(12)
    return "v1:" + base64.b64encode(nonce + aead.encrypt(nonce, text.encode(), None)).decode()


class TestCiphers:
    @pytest.mark.parametrize("cipher", ["aes-256-gcm", "sm4-gcm"])
    def test_round_trip_and_prefix(self, settings, cipher):
        settings.QIANGJI_FIELD_CIPHER = cipher
        token = crypto.encrypt("110101198503011234")
        code = "s" if cipher == "sm4-gcm" else "a"
        assert token.startswith(f"v2:{code}:{crypto.current_key().kid}:")
        assert crypto.decrypt(token) == "110101198503011234"
        assert crypto.describe(token) == (cipher, crypto.current_key().kid)
        assert crypto.encrypt("110101198503011234") != token  # a fresh nonce each time
        assert len(token) <= 120  # the columns' width

    def test_sm4_is_the_standard_cipher(self):
        # GB/T 32907 test vector through the primitive used: key = plaintext = 0123456789abcdeffedcba9876543210
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        key = bytes.fromhex("0123456789abcdeffedcba9876543210")
        encryptor = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()
        assert (encryptor.update(key) + encryptor.finalize()).hex() == "681edf34d206965e86b3e94f536e4246"

    def test_a_tampered_sm4_value_is_refused(self, settings):
        settings.QIANGJI_FIELD_CIPHER = "sm4-gcm"
        token = crypto.encrypt("13800138000")
        raw = bytearray(base64.b64decode(token.split(":", 3)[3]))
        raw[-1] ^= 1
        forged = ":".join(token.split(":", 3)[:3]) + ":" + base64.b64encode(bytes(raw)).decode()
        with pytest.raises(Exception):  # noqa: B017 (InvalidTag)
            crypto.decrypt(forged)

    def test_old_values_keep_decrypting_after_a_change_of_algorithm_and_key(self, settings):
        settings.DATA_KEY = OLD
        legacy = _v1(OLD, "13800138000")
        aes = crypto.encrypt("13900139000")
        settings.DATA_KEY, settings.DATA_KEYS_PREVIOUS = NEW, [OLD]
        settings.QIANGJI_FIELD_CIPHER = "sm4-gcm"
        sm4 = crypto.encrypt("13700137000")
        assert [crypto.decrypt(t) for t in (legacy, aes, sm4)] == [
            "13800138000",
            "13900139000",
            "13700137000",
        ]
        assert not crypto.is_current(legacy) and not crypto.is_current(aes) and crypto.is_current(sm4)
        settings.DATA_KEYS_PREVIOUS = []
        with pytest.raises(ValueError, match="unknown key id"):
            crypto.decrypt(aes)

    def test_bad_settings_are_refused(self, settings):
        settings.QIANGJI_FIELD_CIPHER = "des"
        with pytest.raises(ValueError):
            crypto.encrypt("x")
        settings.QIANGJI_FIELD_CIPHER = "aes-256-gcm"
        settings.QIANGJI_BLIND_INDEX = "md5"
        with pytest.raises(ValueError):
            crypto.blind_index("x")
        with pytest.raises(ValueError):
            crypto.decrypt("v9:whatever")


class TestBlindIndex:
    def test_sha256_index_unchanged_from_the_first_format(self, settings):
        settings.DATA_KEY = OLD
        root = hashlib.sha256(OLD.encode()).digest()
        key = hmac.new(root, b"qiangji-blind-index", hashlib.sha256).digest()
        assert (
            crypto.blind_index("11010119850301123x")
            == hmac.new(key, b"11010119850301123X", hashlib.sha256).hexdigest()[:40]
        )

    def test_sm3_index_differs_is_deterministic_and_case_blind(self, settings):
        sha = crypto.blind_index("11010119850301123x")
        settings.QIANGJI_BLIND_INDEX = "hmac-sm3"
        sm3 = crypto.blind_index("11010119850301123x")
        assert sm3 != sha and len(sm3) == 40 and sm3 == crypto.blind_index("11010119850301123X")
        assert crypto.blind_indexes("11010119850301123x")[:1] == [sm3] and sha in crypto.blind_indexes(
            "11010119850301123x"
        )


@pytest.mark.django_db
class TestRotateKeys:
    def _members(self, world, n):
        return [add_member(world.branch, f"轮换{i}", phone=f"1380013{i:04d}") for i in range(n)]

    def test_moves_every_value_to_sm4_and_hmac_sm3_under_a_new_key(self, world, settings, capsys):
        base = settings.DATA_KEY  # the world's members were encrypted with it
        settings.DATA_KEY = OLD
        members = self._members(world, 5)
        clear = {m.pk: (m.id_number, m.phone) for m in Member.objects.filter(pk__in=[m.pk for m in members])}
        settings.DATA_KEY, settings.DATA_KEYS_PREVIOUS = NEW, [OLD, base]
        settings.QIANGJI_FIELD_CIPHER, settings.QIANGJI_BLIND_INDEX = "sm4-gcm", "hmac-sm3"
        call_command("rotate_keys", "--batch", "2")
        assert "轮换完成" in capsys.readouterr().out
        settings.DATA_KEYS_PREVIOUS = []  # the old secret is no longer needed
        for member in Member.objects.all():
            assert crypto.describe(member.id_number_encrypted) == ("sm4-gcm", crypto.current_key().kid)
            assert member.id_number_hash == crypto.blind_index(member.id_number)
            if member.pk in clear:
                assert (member.id_number, member.phone) == clear[member.pk]
                assert member.phone_hash == crypto.blind_index(member.phone)
        # exact lookup by the new index finds the member
        number = clear[members[0].pk][0]
        assert Member.objects.get(id_number_hash=crypto.blind_index(number)).pk == members[0].pk
        job = Job.objects.get(kind="core.rotate_keys")
        assert job.status == Job.Status.SUCCEEDED
        assert AuditEntry.objects.filter(action="core.keys.rotated").count() == 1
        # a second run has nothing to do
        call_command("rotate_keys", "--restart")
        latest = Job.objects.filter(kind="core.rotate_keys").order_by("-created_at").first()
        assert latest.pk != job.pk and set(latest.result["changed"].values()) == {0}

    def test_an_interrupted_run_resumes_where_it_stopped(self, world, settings):
        base = settings.DATA_KEY
        settings.DATA_KEY = OLD
        self._members(world, 5)
        total = Member.objects.count()
        settings.DATA_KEY, settings.DATA_KEYS_PREVIOUS = NEW, [OLD, base]
        call_command("rotate_keys", "--batch", "2", "--max-batches", "1")  # stops after one batch
        job = Job.objects.get(kind="core.rotate_keys")
        assert job.status == Job.Status.RUNNING
        done_after = job.result["progress"]["members.Member"]["after"]
        kids = [crypto.describe(m.id_number_encrypted)[1] for m in Member.objects.order_by("pk")]
        assert kids[:2] == [crypto.current_key().kid] * 2 and crypto.current_key().kid not in kids[2:]
        call_command("rotate_keys", "--batch", "2")
        job.refresh_from_db()
        assert Job.objects.filter(kind="core.rotate_keys").count() == 1  # the same job, resumed
        assert (
            job.status == Job.Status.SUCCEEDED
            and done_after < job.result["progress"]["members.Member"]["after"]
        )
        assert job.result["changed"]["members.Member"] == total
        assert all(crypto.is_current(m.id_number_encrypted) for m in Member.objects.all())

    def test_a_value_no_key_decrypts_fails_the_run_and_names_it(self, world, settings):
        settings.DATA_KEY = OLD
        self._members(world, 1)
        settings.DATA_KEY, settings.DATA_KEYS_PREVIOUS = NEW, []  # the old secret forgotten
        with pytest.raises(ValueError):
            call_command("rotate_keys")
        assert Job.objects.get(kind="core.rotate_keys").status == Job.Status.FAILED
