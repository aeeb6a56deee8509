#!/usr/bin/env bash
# Checks the files docs/guide-production.md tells an operator to write, as written there:
#   - the whole nginx configuration (section 7) with deploy/nginx/latchkey-auth.conf included,
#     by `nginx -t` (only the certificate paths and the include path are replaced, by a throwaway
#     self-signed certificate and this checkout's file);
#   - the logrotate block for the audit log (section 8), by `logrotate -d`.
# Run by .ci/run; takes a second. Needs nginx (/usr/sbin/nginx), openssl and logrotate.
set -euo pipefail
cd "$(dirname "$0")/../.."
guide=docs/guide-production.md
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
logrotate_bin="$(command -v logrotate || echo /usr/sbin/logrotate)"

# The n-th fenced block of the given language in the guide.
block() { awk -v lang="$1" -v want="$2" '$0 == "```" lang {n++; if (n == want) {f = 1; next}} f && /^```/ {exit} f' "$guide"; }

mkdir -p "$work/conf" "$work/logs" "$work/tmp"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=auth.example.com \
  -keyout "$work/conf/privkey.pem" -out "$work/conf/fullchain.pem" 2>/dev/null
block nginx 1 \
  | sed -e "s#/etc/letsencrypt/live/auth.example.com#$work/conf#" \
        -e "s#/etc/nginx/latchkey-auth.conf#$PWD/deploy/nginx/latchkey-auth.conf#" >"$work/conf/latchkey.conf"
grep -q 'include .*deploy/nginx/latchkey-auth.conf' "$work/conf/latchkey.conf" \
  || { echo "the guide's nginx block no longer includes latchkey-auth.conf"; exit 1; }
cat >"$work/conf/nginx.conf" <<CONF
pid $work/logs/nginx.pid;
error_log $work/logs/error.log;
events {}
http {
  access_log off;
  client_body_temp_path $work/tmp/body; proxy_temp_path $work/tmp/proxy;
  fastcgi_temp_path $work/tmp/fcgi; uwsgi_temp_path $work/tmp/uwsgi; scgi_temp_path $work/tmp/scgi;
  include $work/conf/latchkey.conf;
}
CONF
"$nginx_bin" -q -t -p "$work" -c "$work/conf/nginx.conf"

awk '/# \/etc\/logrotate.d\/latchkey/ {f = 1; next} f && /```/ {exit} f' "$guide" \
  | sed -e 's/^  //' -e "s#/var/log/latchkey#$work/logs#" >"$work/logrotate.conf"
grep -q '{' "$work/logrotate.conf" || { echo "no logrotate block in $guide"; exit 1; }
if "$logrotate_bin" -d -s "$work/logrotate.state" "$work/logrotate.conf" 2>&1 | grep -i '^error'; then
  echo "logrotate refuses the guide's block"; exit 1
fi
echo "guide-production files OK: nginx -t ($("$nginx_bin" -v 2>&1 | sed 's/.*\///')) and logrotate -d accept them"
