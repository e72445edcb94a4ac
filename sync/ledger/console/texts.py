"""Every word of the console in Kazakh, Russian and English: ``TEXTS[key][lang]``.

A page asks for a key through ``t(key, **values)`` (sync.ledger.console.web); a key missing
in a language is a defect, checked by the tests."""

from __future__ import annotations

LANGS = ("kk", "ru", "en")
DEFAULT_LANG = "ru"
LANG_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}

TEXTS: dict[str, dict[str, str]] = {
    "title": {"kk": "Басқару пульті", "ru": "Бэк-офис", "en": "Back office"},
    "login": {"kk": "Кіру", "ru": "Вход", "en": "Log in"},
    "logout": {"kk": "Шығу", "ru": "Выйти", "en": "Log out"},
    "username": {"kk": "Пайдаланушы аты", "ru": "Имя пользователя", "en": "User name"},
    "password": {"kk": "Құпиясөз", "ru": "Пароль", "en": "Password"},
    "login_failed": {
        "kk": "Аты немесе құпиясөзі қате.",
        "ru": "Неверное имя или пароль.",
        "en": "Wrong name or password.",
    },
    "locked_out": {
        "kk": "Кіру әрекеттері тым көп сәтсіз болды: {wait} кейін қайталап көріңіз. "
        "Әр келесі қате үзілісті екі есе ұзартады.",
        "ru": "Слишком много неудачных попыток входа: попробуйте снова через {wait}. "
        "Каждая следующая ошибка удваивает паузу.",
        "en": "Too many failed logins: try again in {wait}. Each further failure doubles "
        "the pause.",
    },
    "minutes_seconds": {"kk": "{m} мин {s} с", "ru": "{m} мин {s} с", "en": "{m} min {s} s"},
    "hours": {"kk": "{h} сағ", "ru": "{h} ч", "en": "{h} h"},
    "seconds": {"kk": "{s} с", "ru": "{s} с", "en": "{s} s"},
    "forbidden_title": {"kk": "Рұқсат жоқ", "ru": "Доступ запрещён", "en": "Not allowed"},
    "forbidden_role": {
        "kk": "Бұл бетке «{needed}» рөлі қажет; сіздің рөліңіз — «{role}».",
        "ru": "Для этой страницы нужна роль «{needed}»; ваша роль — «{role}».",
        "en": "This page needs the role “{needed}”; yours is “{role}”.",
    },
    "forbidden_csrf": {
        "kk": "Пішін ескірген немесе басқа беттен жіберілген. Бетті қайта ашып, қайталаңыз.",
        "ru": "Форма устарела или отправлена с другой страницы. Откройте страницу заново "
        "и повторите.",
        "en": "The form is out of date or was sent from another page. Open the page again "
        "and retry.",
    },
    "back": {"kk": "Артқа", "ru": "Назад", "en": "Back"},
    "role_viewer": {"kk": "көруші", "ru": "наблюдатель", "en": "viewer"},
    "role_operator": {"kk": "оператор", "ru": "оператор", "en": "operator"},
    "role_admin": {"kk": "әкімші", "ru": "администратор", "en": "admin"},
    "nav_terminals": {"kk": "Терминалдар", "ru": "Терминалы", "en": "Terminals"},
    "nav_users": {"kk": "Пайдаланушылар", "ru": "Пользователи", "en": "Users"},
    "signed_in_as": {
        "kk": "Кірген: {name}",
        "ru": "Вы вошли как {name}",
        "en": "Signed in as {name}",
    },
    # Terminals
    "col_terminal": {"kk": "Терминал", "ru": "Терминал", "en": "Terminal"},
    "col_address": {"kk": "Мекенжай", "ru": "Адрес", "en": "Address"},
    "col_link": {"kk": "Байланыс", "ru": "Связь", "en": "Link"},
    "col_validator": {"kk": "Купюра қабылдағыш", "ru": "Купюроприёмник", "en": "Validator"},
    "col_printer": {"kk": "Принтер", "ru": "Принтер", "en": "Printer"},
    "col_cassette": {"kk": "Кассета", "ru": "Кассета", "en": "Cassette"},
    "col_outbox": {"kk": "Жіберілмеген", "ru": "Не отправлено", "en": "Outbox"},
    "col_version": {"kk": "Нұсқа", "ru": "Версия", "en": "Version"},
    "col_last_payment": {"kk": "Соңғы төлем", "ru": "Последний платёж", "en": "Last payment"},
    "link_online": {"kk": "желіде", "ru": "на связи", "en": "online"},
    "link_stale": {"kk": "кешігуде", "ru": "запаздывает", "en": "stale"},
    "link_offline": {"kk": "желіден тыс", "ru": "нет связи", "en": "offline"},
    "link_never": {
        "kk": "ешқашан хабарласпаған",
        "ru": "ни разу не выходил на связь",
        "en": "never seen",
    },
    "link_legend": {
        "kk": "Желіде: соңғы хабар {online} ішінде; кешігуде: {offline} дейін; одан көп — "
        "желіден тыс.",
        "ru": "На связи: последний сигнал не старше {online}; запаздывает: до {offline}; "
        "дольше — нет связи.",
        "en": "Online: the last heartbeat is at most {online} old; stale: up to {offline}; "
        "older: offline.",
    },
    "ago": {"kk": "{age} бұрын", "ru": "{age} назад", "en": "{age} ago"},
    "out_of_service": {
        "kk": "Жұмыс істемейді: {reasons}",
        "ru": "Не работает: {reasons}",
        "en": "Out of service: {reasons}",
    },
    "inactive": {"kk": "өшірілген", "ru": "отключён", "en": "disabled"},
    "notes_amount": {
        "kk": "{notes} купюра, {amount}",
        "ru": "{notes} куп., {amount}",
        "en": "{notes} notes, {amount}",
    },
    "outbox_value": {
        "kk": "{depth}, ең ескісі {age}",
        "ru": "{depth}, старейший {age}",
        "en": "{depth}, oldest {age}",
    },
    "unknown": {"kk": "белгісіз", "ru": "неизвестно", "en": "unknown"},
    "disconnected": {"kk": "қосылмаған", "ru": "не подключён", "en": "disconnected"},
    "paper": {"kk": "қағаз: {paper}", "ru": "бумага: {paper}", "en": "paper: {paper}"},
    "paper_ok": {"kk": "бар", "ru": "есть", "en": "ok"},
    "paper_near_end": {"kk": "таусылуға жақын", "ru": "заканчивается", "en": "running out"},
    "paper_out": {"kk": "жоқ", "ru": "нет", "en": "out"},
    "state_idle": {"kk": "дайын", "ru": "готов", "en": "ready"},
    "state_ok": {"kk": "жұмыс істейді", "ru": "в порядке", "en": "working"},
    "state_accepting": {"kk": "қабылдап жатыр", "ru": "принимает", "en": "accepting"},
    "state_disabled": {"kk": "өшірулі", "ru": "выключен", "en": "disabled"},
    "state_jammed": {"kk": "купюра кептелді", "ru": "замятие купюры", "en": "note jammed"},
    "state_cassette_full": {"kk": "кассета толы", "ru": "кассета заполнена", "en": "cassette full"},
    "state_cassette_removed": {
        "kk": "кассета алынған",
        "ru": "кассета снята",
        "en": "cassette removed",
    },
    "state_failure": {"kk": "ақаулық", "ru": "неисправность", "en": "failure"},
    "state_error": {"kk": "қате", "ru": "ошибка", "en": "error"},
    "state_offline": {"kk": "байланыс жоқ", "ru": "нет связи", "en": "not responding"},
    "no_terminals": {"kk": "Терминалдар жоқ.", "ru": "Терминалов нет.", "en": "No terminals."},
    "next_page": {"kk": "Келесі бет →", "ru": "Следующая страница →", "en": "Next page →"},
    "first_page": {"kk": "← Бірінші бет", "ru": "← Первая страница", "en": "← First page"},
    "problems_first": {
        "kk": "Алдымен ақаулары барлар: желіден тыс, жұмыс істемейтін, кешігетін.",
        "ru": "Сначала проблемные: без связи, не работающие, запаздывающие.",
        "en": "Problems first: offline, out of service, stale.",
    },
    "recent_payments": {"kk": "Соңғы төлемдер", "ru": "Последние платежи", "en": "Recent payments"},
    "device_events": {"kk": "Құрылғы оқиғалары", "ru": "События устройств", "en": "Device events"},
    "latest_heartbeat": {"kk": "Соңғы хабар", "ru": "Последний сигнал", "en": "Latest heartbeat"},
    "col_time": {"kk": "Уақыты", "ru": "Время", "en": "Time"},
    "col_receipt": {"kk": "Түбіртек", "ru": "Чек", "en": "Receipt"},
    "col_service": {"kk": "Қызмет", "ru": "Услуга", "en": "Service"},
    "col_account": {"kk": "Шот", "ru": "Счёт", "en": "Account"},
    "col_amount": {"kk": "Сомасы", "ru": "Сумма", "en": "Amount"},
    "col_status": {"kk": "Күйі", "ru": "Статус", "en": "Status"},
    "col_device": {"kk": "Құрылғы", "ru": "Устройство", "en": "Device"},
    "col_event": {"kk": "Оқиға", "ru": "Событие", "en": "Event"},
    "none_yet": {"kk": "Әзірге жоқ.", "ru": "Пока нет.", "en": "None yet."},
    "not_found": {
        "kk": "Мұндай терминал жоқ.",
        "ru": "Такого терминала нет.",
        "en": "No such terminal.",
    },
    # Users
    "col_user": {"kk": "Пайдаланушы", "ru": "Пользователь", "en": "User"},
    "col_role": {"kk": "Рөлі", "ru": "Роль", "en": "Role"},
    "col_since": {"kk": "Қосылған", "ru": "Добавлен", "en": "Since"},
    "active": {"kk": "белсенді", "ru": "активен", "en": "active"},
    "disabled": {"kk": "өшірілген", "ru": "отключён", "en": "disabled"},
    "add_user": {"kk": "Пайдаланушы қосу", "ru": "Добавить пользователя", "en": "Add a user"},
    "disable": {"kk": "Өшіру", "ru": "Отключить", "en": "Disable"},
    "reason": {"kk": "Себебі", "ru": "Причина", "en": "Reason"},
    "reason_required": {
        "kk": "Себебін жазыңыз: ол әрекетпен бірге сақталады.",
        "ru": "Укажите причину: она сохраняется вместе с действием.",
        "en": "Give a reason: it is kept with the action.",
    },
    "user_added": {
        "kk": "{name} қосылды. Құпиясөзі (бір рет көрсетіледі): {password}",
        "ru": "{name} добавлен. Пароль (показывается один раз): {password}",
        "en": "{name} added. Password (shown once): {password}",
    },
    "user_disabled": {"kk": "{name} өшірілді.", "ru": "{name} отключён.", "en": "{name} disabled."},
    "not_yourself": {
        "kk": "Өз есептік жазбаңызды өшіре алмайсыз: оны басқа әкімші өшіреді.",
        "ru": "Нельзя отключить собственную учётную запись: это делает другой администратор.",
        "en": "You cannot disable your own account: another admin does that.",
    },
    "user_refused": {
        "kk": "Орындалмады: {why}",
        "ru": "Не выполнено: {why}",
        "en": "Not done: {why}",
    },
    "audit_record": {"kk": "Әрекеттер журналы", "ru": "Журнал действий", "en": "Action record"},
    "col_action": {"kk": "Әрекет", "ru": "Действие", "en": "Action"},
    "col_target": {"kk": "Нысаны", "ru": "Объект", "en": "Target"},
}
