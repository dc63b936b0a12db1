#!/usr/bin/env bash
# An HR drop over SFTP, end to end: Debian's OpenSSH server on 127.0.0.1 with the
# internal-sftp chroot set-up the README shows, a file uploaded with the sftp client the way
# HR systems do (as .part, then renamed), and the app's folder source importing it.
#
# usage: conformance/sftp_drop_check.sh PATH_TO_shiftbridge_BINARY   (as root: it adds a user)
set -euo pipefail
binary=$1
app_port=${SFTP_CHECK_APP_PORT:-18394}
ssh_port=${SFTP_CHECK_SSH_PORT:-18395}
app="http://127.0.0.1:$app_port"
# A chroot must sit in folders owned by root and writable by nobody else (not /tmp).
mkdir -p /srv && chmod 755 /srv
work=$(mktemp -d /srv/shiftbridge-sftp-check.XXXXXX)
chmod 755 "$work"
sshd_pid=
app_pid=
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  [ -n "$sshd_pid" ] && kill "$sshd_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "$1"; tail -20 "$work/sshd.log" 2>/dev/null; exit 1; }

# The drop: a chroot owned by root, an upload folder inside it owned by the HR user.
id hrdrop >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin hrdrop
# No password, but not locked: OpenSSH refuses a locked account even with a key.
usermod -p '*' hrdrop
mkdir -p "$work/chroot/upload" "$work/keys"
chown root:root "$work/chroot" && chmod 755 "$work/chroot"
chown hrdrop: "$work/chroot/upload" && chmod 775 "$work/chroot/upload"
ssh-keygen -q -t ed25519 -N '' -f "$work/keys/host"
ssh-keygen -q -t ed25519 -N '' -f "$work/keys/hr"
cp "$work/keys/hr.pub" "$work/keys/authorized_keys"
cat > "$work/sshd_config" <<CONFIG
Port $ssh_port
ListenAddress 127.0.0.1
HostKey $work/keys/host
PidFile $work/sshd.pid
PasswordAuthentication no
KbdInteractiveAuthentication no
StrictModes no
AuthorizedKeysFile $work/keys/authorized_keys
Subsystem sftp internal-sftp
Match User hrdrop
    ChrootDirectory $work/chroot
    ForceCommand internal-sftp -u 0002 -d /upload
    AllowTcpForwarding no
    X11Forwarding no
CONFIG
mkdir -p /run/sshd
/usr/sbin/sshd -t -f "$work/sshd_config"
/usr/sbin/sshd -D -e -f "$work/sshd_config" 2> "$work/sshd.log" &
sshd_pid=$!

export SHIFTBRIDGE_DATA_DIR=$work/data LOG_LEVEL=warning SHIFTBRIDGE_PUBLIC_URL=http://127.0.0.1:$app_port
"$binary" admin create --email sftp-check@example.com --password 'correct horse battery staple' > /dev/null
token=$("$binary" admin token --email sftp-check@example.com --name sftp-check)
"$binary" serve --hostname 127.0.0.1 --port "$app_port" > "$work/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 1 100); do curl -fs "$app/healthz" > /dev/null 2>&1 && break; sleep 0.2; done
api() { curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }
source_id=$(api -X POST -d "{\"name\":\"SFTP drop\",\"kind\":\"folder\",\"path\":\"$work/chroot/upload\",\"pattern\":\"hr-*.csv\",\"every_minutes\":60}" \
  "$app/api/v1/provisioning/sources" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

printf 'employee_id,email,first_name,last_name,status\nS1,ann@corp.example,Ann,Lee,active\nS2,ben@corp.example,Ben,Wu,active\n' > "$work/hr-upload.csv"
printf 'put %s hr-2026-12-02.csv.part\nrename hr-2026-12-02.csv.part hr-2026-12-02.csv\n' "$work/hr-upload.csv" > "$work/batch"
sftp -q -b "$work/batch" -i "$work/keys/hr" -P "$ssh_port" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null hrdrop@127.0.0.1 || fail "the sftp upload failed"
# What HR wrote is whole once it has settled; the source then imports it.
sleep 3
# "Run now" answers at once (202); the hr-sources job runs it within seconds (the source's
# own schedule may get there first: either way the file is imported once).
api -X POST "$app/api/v1/provisioning/sources/$source_id/run" > /dev/null
employees=0
for _ in $(seq 1 60); do
  employees=$(api "$app/api/v1/provisioning/employees" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["employees"]))')
  [ "$employees" = 2 ] && break
  sleep 0.5
done
api "$app/api/v1/provisioning/sources/$source_id" | python3 -c '
import json, sys
source = json.load(sys.stdin)
print("source run:", source["last_result"], "-", source["last_message"])'
[ "$employees" = 2 ] || { echo "expected 2 employees, found $employees"; exit 1; }
[ -f "$work/chroot/upload/processed/hr-2026-12-02.csv" ] || { echo "the file was not moved to processed/"; exit 1; }
echo "sftp drop check: a file uploaded over SFTP was imported whole (2 employees) and moved to processed/"
