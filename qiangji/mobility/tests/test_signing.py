"""The certificate token: genuine verifies; another key, any changed character, or junk does not —
in Python and in the vendored JavaScript verifier the offline page uses."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from qiangji.mobility import services, signing

JS = Path(__file__).resolve().parents[1] / "static" / "mobility" / "ed25519-verify.js"
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
PAYLOAD = {
    "v": 1,
    "n": "370124202600001",
    "nm": "李*",
    "org": "幸福社区第一党支部",
    "iss": "2026-11-28",
    "exp": "2027-11-27",
    "nv": 1,
}


def changed_at(token: str, index: int) -> str:
    char = token[index]
    replacement = ALPHABET[(ALPHABET.index(char) + 1) % 64] if char in ALPHABET else "A"
    return token[:index] + replacement + token[index + 1 :]


def test_genuine_token_verifies_and_carries_no_vote():
    verified = signing.verify_token(signing.sign_payload(PAYLOAD))
    assert verified.payload == PAYLOAD and verified.payload["nv"] == 1


def test_token_signed_by_another_key_fails():
    forged = signing.sign_payload(PAYLOAD, key=Ed25519PrivateKey.generate())
    with pytest.raises(signing.TokenInvalid, match="伪造或被改动"):
        signing.verify_token(forged)


def test_every_single_changed_character_fails():
    token = signing.sign_payload(PAYLOAD)
    for index in range(len("QJC1."), len(token)):
        if token[index] == ".":
            continue
        with pytest.raises(signing.TokenInvalid):
            signing.verify_token(changed_at(token, index))


def test_altered_payload_with_the_old_signature_fails():
    token = signing.sign_payload(PAYLOAD)
    prefix, _, signature = token.split(".")
    longer = signing.b64url(json.dumps(PAYLOAD | {"exp": "2099-12-31"}).encode())
    with pytest.raises(signing.TokenInvalid):
        signing.verify_token(f"{prefix}.{longer}.{signature}")


@pytest.mark.parametrize("junk", ["", "QJC1", "QJC1.a.b", "JWT.eyJ.x", "QJC1.!!!.???"])
def test_junk_is_refused_with_a_message(junk):
    with pytest.raises(signing.TokenInvalid):
        signing.verify_token(junk)


def test_verify_url_form_is_accepted():
    token = signing.sign_payload(PAYLOAD)
    assert signing.verify_token(f"https://example.org/mobility/verify/#{token}").payload["n"] == PAYLOAD["n"]


def test_key_generated_once_into_var(tmp_path, settings):
    settings.QIANGJI_CERT_SIGNING_KEY = ""
    settings.VAR_DIR = tmp_path
    first = signing.public_key_pem()
    assert (tmp_path / signing.KEY_FILE_NAME).stat().st_mode & 0o777 == 0o600
    signing._private_key.cache_clear()
    assert signing.public_key_pem() == first


@pytest.mark.django_db
def test_issued_certificate_token_masks_the_name(world):
    cert = services.issue_certificate(actor=world.users["zhibu"], member=world.member)
    payload = signing.verify_token(cert.token).payload
    assert payload["nm"] == "李*" and payload["org"] == world.branch.name and payload["nv"] == 1
    assert set(payload) == {"v", "n", "nm", "org", "in", "iss", "exp", "nv", "kid"}  # no ID number, no phone


@pytest.mark.skipif(
    not shutil.which("node"), reason="needs node to run the browser verifier outside a browser"
)
def test_javascript_verifier_agrees_with_python():
    token = signing.sign_payload(PAYLOAD)
    prefix, body, signature = token.split(".")
    forged = signing.sign_payload(PAYLOAD, key=Ed25519PrivateKey.generate()).split(".")[2]
    cases = {
        "genuine": signature,
        "other_key": forged,
        "changed": changed_at(token, len(token) - 5).split(".")[2],
    }
    script = f"""require({json.dumps(str(JS))});
const b = s => new Uint8Array(Buffer.from(s, "base64url"));
const pub = b({json.dumps(signing.b64url(signing.raw_public_key()))});
const msg = new TextEncoder().encode({json.dumps(f"{prefix}.{body}")});
const cases = {json.dumps(cases)};
console.log(JSON.stringify(Object.fromEntries(Object.entries(cases).map(([k, s]) => [k, QJEd25519.verify(pub, msg, b(s))]))));"""
    out = subprocess.run(
        ["node", "-e", script], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert json.loads(out) == {"genuine": True, "other_key": False, "changed": False}
