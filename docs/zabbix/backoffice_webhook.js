// Zabbix webhook media type "ISP back-office" (Zabbix 5.4 or later; docs/monitoring.md).
// Posts a problem ({EVENT.VALUE} 1) or its recovery (0) to the back-office's /monitoring/zabbix as the JSON
// the back-office reads, with the source's token. Zabbix runs this with Duktape: ECMAScript 5 only.
var params = JSON.parse(value);

['endpoint', 'token', 'event_id', 'event_value', 'event_time'].forEach(function (name) {
    if (typeof params[name] !== 'string' || params[name].trim() === '') {
        throw 'The media type parameter "' + name + '" is empty.';
    }
});

// {EVENT.TAGSJSON}: a list of {"tag", "value"}; empty or left unexpanded, the event has no tags.
var tags = [];
try {
    var parsed = JSON.parse(params.tags || '[]');
    tags = Array.isArray(parsed) ? parsed : [];
}
catch (error) {
    tags = [];
}

var body = JSON.stringify({
    event_id: params.event_id,
    event_value: params.event_value,
    event_time: params.event_time,
    // A problem's {EVENT.RECOVERY.TIMESTAMP} stays unexpanded: the back-office reads it as "no recovery yet".
    recovery_time: params.recovery_time || '',
    host: params.host || '',
    name: params.name || '',
    severity: params.severity || '',
    tags: tags,
    url: params.url || ''
});

var request = new HttpRequest();
request.addHeader('Content-Type: application/json');
request.addHeader('Authorization: Bearer ' + params.token);
if (params.http_proxy) {
    request.setProxy(params.http_proxy);
}

var answer = request.post(params.endpoint, body);
var status = request.getStatus();
Zabbix.log(4, '[ISP back-office] event ' + params.event_id + ': HTTP ' + status + ' ' + answer);

// 202: kept. Anything else is thrown, so the action log shows it and Zabbix tries again (the media type's
// attempts); the answer's "detail" says what the back-office refused.
if (status < 200 || status >= 300) {
    throw 'The back-office answered HTTP ' + status + ': ' + String(answer).substring(0, 500);
}
return 'OK';
