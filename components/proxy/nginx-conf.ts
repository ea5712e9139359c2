// nginx.conf for the reverse proxy: TLS termination, HTTP→HTTPS redirect, rate limiting,
// security headers, and routes to the frontend, the backend API and (optionally) Grafana.

export interface Upstream {
    readonly host: string;
    readonly port: number;
}

export interface NginxConfOptions {
    readonly serverName: string;
    /** Ports nginx listens on inside its container (unprivileged, so above 1024). */
    readonly listenHttp: number;
    readonly listenHttps: number;
    /** The HTTPS port clients see, for the redirect (443 is left out of the URL). */
    readonly publicHttpsPort: number;
    readonly certificatePath: string;
    readonly keyPath: string;
    readonly rateLimitPerSecond: number;
    readonly rateLimitBurst: number;
    readonly clientMaxBodyMb: number;
    readonly frontend: Upstream;
    readonly backend: Upstream;
    readonly grafana?: Upstream;
    /** DNS resolver for upstream names (Docker's embedded DNS); omitted when upstreams are IPs. */
    readonly resolver?: string;
    readonly pidPath: string;
    readonly tempDir: string;
    readonly errorLog: string;
    readonly accessLog: string;
}

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Content-Security-Policy": "frame-ancestors 'none'",
};

function location(path: string, upstream: Upstream, variable: string, extra: string[] = []): string[] {
    // A variable in proxy_pass makes nginx resolve the name per request, so the proxy starts even
    // while an upstream container is still being created.
    return [
        `        location ${path} {`,
        `            set ${variable} http://${upstream.host}:${upstream.port};`,
        `            proxy_pass ${variable};`,
        "            proxy_set_header Host $host;",
        "            proxy_set_header X-Real-IP $remote_addr;",
        "            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "            proxy_set_header X-Forwarded-Proto https;",
        ...extra.map((line) => `            ${line}`),
        "        }",
    ];
}

export function renderNginxConf(o: NginxConfOptions): string {
    const redirectPort = o.publicHttpsPort === 443 ? "" : `:${o.publicHttpsPort}`;
    const headers = Object.entries(SECURITY_HEADERS).map(([k, v]) => `        add_header ${k} "${v}" always;`);
    const websocket = ["proxy_http_version 1.1;", "proxy_set_header Upgrade $http_upgrade;", "proxy_set_header Connection $connection_upgrade;"];
    return [
        "# Rendered by osint-platform (components/proxy/nginx-conf.ts). Do not edit.",
        "worker_processes auto;",
        `pid ${o.pidPath};`,
        `error_log ${o.errorLog} warn;`,
        "events { worker_connections 1024; }",
        "http {",
        "    server_tokens off;",
        `    client_body_temp_path ${o.tempDir}/client_body;`,
        `    proxy_temp_path ${o.tempDir}/proxy;`,
        `    fastcgi_temp_path ${o.tempDir}/fastcgi;`,
        `    uwsgi_temp_path ${o.tempDir}/uwsgi;`,
        `    scgi_temp_path ${o.tempDir}/scgi;`,
        "    default_type application/octet-stream;",
        "    sendfile on;",
        "    keepalive_timeout 65;",
        `    client_max_body_size ${o.clientMaxBodyMb}m;`,
        ...(o.resolver ? [`    resolver ${o.resolver} valid=10s ipv6=off;`] : []),
        '    log_format json escape=json \'{"time":"$time_iso8601","remote_addr":"$remote_addr","request":"$request",\'',
        '        \'"status":$status,"bytes":$body_bytes_sent,"request_time":$request_time,"upstream_time":"$upstream_response_time"}\';',
        `    access_log ${o.accessLog} json;`,
        `    limit_req_zone $binary_remote_addr zone=per_client:10m rate=${o.rateLimitPerSecond}r/s;`,
        "    limit_req_status 429;",
        "    map $http_upgrade $connection_upgrade { default upgrade; '' close; }",
        "",
        "    server {",
        `        listen ${o.listenHttp};`,
        `        server_name ${o.serverName};`,
        '        location = /nginx-health { access_log off; return 200 "ok\\n"; }',
        `        location / { return 301 https://$host${redirectPort}$request_uri; }`,
        "    }",
        "",
        "    server {",
        `        listen ${o.listenHttps} ssl;`,
        `        server_name ${o.serverName};`,
        `        ssl_certificate ${o.certificatePath};`,
        `        ssl_certificate_key ${o.keyPath};`,
        "        ssl_protocols TLSv1.2 TLSv1.3;",
        "        ssl_prefer_server_ciphers on;",
        "        ssl_session_cache shared:TLS:10m;",
        ...headers,
        `        limit_req zone=per_client burst=${o.rateLimitBurst} nodelay;`,
        ...location("= /healthz", o.backend, "$backend_upstream"),
        ...location("/api/", o.backend, "$backend_upstream"),
        ...(o.grafana ? location("/grafana/", o.grafana, "$grafana_upstream", websocket) : []),
        ...location("/", o.frontend, "$frontend_upstream", websocket),
        "    }",
        "}",
        "",
    ].join("\n");
}
