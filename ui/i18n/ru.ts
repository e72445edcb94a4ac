<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU" sourcelanguage="en_US">
<context>
    <name>CashScreen</name>
    <message>
        <source>Insert banknotes one at a time</source>
        <translation>Вставляйте купюры по одной</translation>
    </message>
    <message>
        <source>Inserted</source>
        <translation>Внесено</translation>
    </message>
    <message>
        <source>Commission</source>
        <translation>Комиссия</translation>
    </message>
    <message>
        <source>To be credited</source>
        <translation>К зачислению</translation>
    </message>
    <message>
        <source>Minimum payment: %1</source>
        <translation>Минимальный платёж: %1</translation>
    </message>
    <message>
        <source>You can insert up to %1 more</source>
        <translation>Можно внести ещё до %1</translation>
    </message>
    <message>
        <source>Accepted notes: %1</source>
        <translation>Принимаются купюры: %1</translation>
    </message>
    <message>
        <source>No more notes can be accepted</source>
        <translation>Больше купюр принять нельзя</translation>
    </message>
    <message>
        <source>Counting the note…</source>
        <translation>Проверяем купюру…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Pay</source>
        <translation>Оплатить</translation>
    </message>
</context>
<context>
    <name>CatalogScreen</name>
    <message>
        <source>Mobile phone</source>
        <translation>Мобильная связь</translation>
    </message>
    <message>
        <source>E-wallets</source>
        <translation>Электронные кошельки</translation>
    </message>
    <message>
        <source>Choose where the money goes</source>
        <translation>Выберите, куда зачислить деньги</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Назад</translation>
    </message>
</context>
<context>
    <name>CheckedScreen</name>
    <message>
        <source>Pay without a receipt</source>
        <translation>Оплатить без чека</translation>
    </message>
    <message>
        <source>Recipient: %1</source>
        <translation>Получатель: %1</translation>
    </message>
    <message>
        <source>The number could not be checked online: it was checked by its format only.</source>
        <translation>Номер не удалось проверить онлайн: проверен только его формат.</translation>
    </message>
    <message>
        <source>Minimum payment: %1</source>
        <translation>Минимальный платёж: %1</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Изменить</translation>
    </message>
    <message>
        <source>Insert cash</source>
        <translation>Внести наличные</translation>
    </message>
</context>
<context>
    <name>ConfirmScreen</name>
    <message>
        <source>Is this number right?</source>
        <translation>Номер верный?</translation>
    </message>
    <message>
        <source>Another operator</source>
        <translation>Другой оператор</translation>
    </message>
    <message>
        <source>Checking the number…</source>
        <translation>Проверяем номер…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Изменить</translation>
    </message>
    <message>
        <source>Correct</source>
        <translation>Верно</translation>
    </message>
</context>
<context>
    <name>EntryScreen</name>
    <message>
        <source>Enter the purse number</source>
        <translation>Введите номер кошелька</translation>
    </message>
    <message>
        <source>Enter the phone number</source>
        <translation>Введите номер телефона</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Далее</translation>
    </message>
</context>
<context>
    <name>Footer</name>
    <message>
        <source>Terminal %1</source>
        <translation>Терминал %1</translation>
    </message>
    <message>
        <source>Support: %1</source>
        <translation>Поддержка: %1</translation>
    </message>
</context>
<context>
    <name>IdleScreen</name>
    <message>
        <source>Top up a wallet or a phone</source>
        <translation>Пополнение кошелька или телефона</translation>
    </message>
    <message>
        <source>Cash only. No change is given: everything you insert is paid in, less the commission shown on the service.</source>
        <translation>Только наличные. Сдача не выдаётся: всё внесённое идёт в платёж за вычетом комиссии, указанной на услуге.</translation>
    </message>
    <message>
        <source>E-wallets</source>
        <translation>Электронные кошельки</translation>
    </message>
    <message>
        <source>Mobile phone</source>
        <translation>Мобильная связь</translation>
    </message>
    <message>
        <source>Payment status</source>
        <translation>Статус платежа</translation>
    </message>
</context>
<context>
    <name>InfoScreen</name>
    <message>
        <source>About this terminal</source>
        <translation>О терминале</translation>
    </message>
    <message>
        <source>Terminal number: %1</source>
        <translation>Номер терминала: %1</translation>
    </message>
    <message>
        <source>Address: %1</source>
        <translation>Адрес: %1</translation>
    </message>
    <message>
        <source>Payment agent: %1</source>
        <translation>Платёжный агент: %1</translation>
    </message>
    <message>
        <source>BIN: %1</source>
        <translation>БИН: %1</translation>
    </message>
    <message>
        <source>Support: %1</source>
        <translation>Поддержка: %1</translation>
    </message>
    <message>
        <source>Lost your receipt? Tell support the terminal number and the time of payment.</source>
        <translation>Потеряли чек? Сообщите в поддержку номер терминала и время платежа.</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Назад</translation>
    </message>
</context>
<context>
    <name>KioskViewModel</name>
    <message>
        <source>The 8 you typed first is read as +7.</source>
        <translation>Первая набранная цифра 8 понята как +7.</translation>
    </message>
    <message>
        <source>The 7 you typed first is read as +7.</source>
        <translation>Первая набранная цифра 7 понята как +7.</translation>
    </message>
    <message>
        <source>The number is complete: +7 and 10 digits. To change it, press ⌫ or C.</source>
        <translation>Номер набран полностью: +7 и 10 цифр. Чтобы исправить, нажмите ⌫ или C.</translation>
    </message>
    <message>
        <source>The purse number is complete: K and 12 digits. To change it, press ⌫ or C.</source>
        <translation>Номер кошелька набран полностью: K и 12 цифр. Чтобы исправить, нажмите ⌫ или C.</translation>
    </message>
    <message>
        <source>Press «Another operator» to choose the number's operator, or «Correct» to go on.</source>
        <translation>Нажмите «Другой оператор», чтобы выбрать оператора этого номера, или «Верно», чтобы продолжить.</translation>
    </message>
    <message>
        <source>Several payments start like this: type more of the operation number.</source>
        <translation>Так начинаются несколько платежей: введите номер операции подробнее.</translation>
    </message>
    <message>
        <source>Type at least %1 characters of the operation number.</source>
        <translation>Введите хотя бы %1 символов номера операции.</translation>
    </message>
    <message>
        <source>No payment with this operation number at this terminal.</source>
        <translation>На этом терминале нет платежа с таким номером операции.</translation>
    </message>
    <message>
        <source>The receipt cannot be printed now. Please try later or call support.</source>
        <translation>Сейчас квитанцию напечатать нельзя. Попробуйте позже или позвоните в поддержку.</translation>
    </message>
    <message>
        <source>Your receipt is printed.</source>
        <translation>Ваша квитанция напечатана.</translation>
    </message>
    <message>
        <source>You can still pay without a receipt: the payment is recorded, and the next screen shows its receipt number to check it later.</source>
        <translation>Вы можете оплатить без чека: платёж будет записан, а следующий экран покажет номер квитанции, чтобы проверить его позже.</translation>
    </message>
    <message>
        <source>The receipt printer is not working.</source>
        <translation>Принтер чеков не работает.</translation>
    </message>
    <message>
        <source>The receipt printer is out of paper.</source>
        <translation>В принтере чеков закончилась бумага.</translation>
    </message>
    <message>
        <source>the most this service takes in one payment</source>
        <translation>максимум услуги за один платёж</translation>
    </message>
    <message>
        <source>the wallet's limit for one payment</source>
        <translation>лимит кошелька на один платёж</translation>
    </message>
    <message>
        <source>the wallet's balance limit</source>
        <translation>лимит остатка кошелька</translation>
    </message>
    <message>
        <source>the wallet's daily limit</source>
        <translation>дневной лимит кошелька</translation>
    </message>
    <message>
        <source>the limit for payments while the network is down</source>
        <translation>лимит платежей без связи</translation>
    </message>
    <message>
        <source>This note is not accepted now: see the accepted notes.</source>
        <translation>Эта купюра сейчас не принимается: смотрите список принимаемых купюр.</translation>
    </message>
    <message>
        <source>The note was not recognised. Please try another note.</source>
        <translation>Купюра не распознана. Попробуйте другую купюру.</translation>
    </message>
    <message>
        <source>The note was returned: over the maximum for this service.</source>
        <translation>Купюра возвращена: превышен максимум для этой услуги.</translation>
    </message>
    <message>
        <source>The note was returned: over the wallet limit.</source>
        <translation>Купюра возвращена: превышен лимит кошелька.</translation>
    </message>
    <message>
        <source>The note was returned: over the wallet's daily limit.</source>
        <translation>Купюра возвращена: превышен дневной лимит кошелька.</translation>
    </message>
    <message>
        <source>The note was returned: over the offline limit.</source>
        <translation>Купюра возвращена: превышен лимит платежей без связи.</translation>
    </message>
    <message>
        <source>The note was returned: the kiosk is not taking cash now.</source>
        <translation>Купюра возвращена: терминал сейчас не принимает деньги.</translation>
    </message>
    <message>
        <source>The note was returned: the kiosk is out of service.</source>
        <translation>Купюра возвращена: терминал не работает.</translation>
    </message>
    <message>
        <source>The note was returned by the acceptor.</source>
        <translation>Купюроприёмник вернул купюру.</translation>
    </message>
    <message>
        <source>The note was returned.</source>
        <translation>Купюра возвращена.</translation>
    </message>
    <message>
        <source>A technical fault: payments are paused.</source>
        <translation>Техническая неисправность: платежи приостановлены.</translation>
    </message>
    <message>
        <source>No connection to the payment server for too long.</source>
        <translation>Слишком долго нет связи с платёжным сервером.</translation>
    </message>
    <message>
        <source>The banknote acceptor is not working.</source>
        <translation>Купюроприёмник не работает.</translation>
    </message>
    <message>
        <source>The banknote acceptor is jammed.</source>
        <translation>В купюроприёмнике застряла купюра.</translation>
    </message>
    <message>
        <source>The kiosk is being serviced.</source>
        <translation>Терминал на обслуживании.</translation>
    </message>
    <message>
        <source>The cash box is full.</source>
        <translation>Кассета с деньгами заполнена.</translation>
    </message>
    <message>
        <source>The kiosk is temporarily out of service.</source>
        <translation>Терминал временно не работает.</translation>
    </message>
    <message>
        <source>Planned maintenance: the kiosk is temporarily out of service.</source>
        <translation>Плановые технические работы: терминал временно не работает.</translation>
    </message>
    <message>
        <source>Planned maintenance from %1: payments will not be possible.</source>
        <translation>Плановые технические работы с %1: платежи будут недоступны.</translation>
    </message>
    <message>
        <source>No connection to the payment server. You can still pay: the money is credited when the connection is back. Numbers cannot be checked now.</source>
        <translation>Нет связи с платёжным сервером. Платить можно: деньги зачислятся, когда связь восстановится. Номер сейчас проверить нельзя.</translation>
    </message>
    <message>
        <source>No wallet with this number was found. Please check the number.</source>
        <translation>Кошелёк с таким номером не найден. Проверьте номер.</translation>
    </message>
    <message>
        <source>Payments to this wallet are not possible. Please contact the wallet's operator.</source>
        <translation>Платежи на этот кошелёк невозможны. Обратитесь к оператору кошелька.</translation>
    </message>
    <message>
        <source>This wallet is inactive. Please contact the wallet's operator.</source>
        <translation>Этот кошелёк неактивен. Обратитесь к оператору кошелька.</translation>
    </message>
    <message>
        <source>This wallet cannot receive more money now: its limit is reached.</source>
        <translation>На этот кошелёк сейчас нельзя зачислить деньги: лимит исчерпан.</translation>
    </message>
    <message>
        <source>This number cannot receive a payment now. Please check it. Code: %1</source>
        <translation>На этот номер сейчас нельзя зачислить платёж. Проверьте номер. Код: %1</translation>
    </message>
    <message>
        <source>Take your receipt: it is the proof of payment.</source>
        <translation>Возьмите чек: это подтверждение платежа.</translation>
    </message>
    <message>
        <source>The receipt could not be printed. Keep the receipt number: it is the proof.</source>
        <translation>Чек не напечатан. Сохраните номер чека: это подтверждение.</translation>
    </message>
    <message>
        <source>No payment with this receipt number at this terminal.</source>
        <translation>На этом терминале нет платежа с таким номером чека.</translation>
    </message>
    <message>
        <source>Something went wrong. Please try again or call support.</source>
        <translation>Что-то пошло не так. Попробуйте ещё раз или позвоните в поддержку.</translation>
    </message>
    <message>
        <source>Locked after too many wrong PINs. Try again in %1 min.</source>
        <translation>Слишком много неверных PIN, вход заблокирован. Повторите через %1 мин.</translation>
    </message>
    <message>
        <source>Wrong number or PIN. Tries left: %1</source>
        <translation>Неверный номер или PIN. Осталось попыток: %1</translation>
    </message>
    <message>
        <source>No technician is registered: run 'kiosk service add-technician NAME'.</source>
        <translation>Ни один техник не зарегистрирован: выполните 'kiosk service add-technician ИМЯ'.</translation>
    </message>
    <message>
        <source>The shared service PIN no longer opens the menu: register each technician with 'kiosk service add-technician NAME'.</source>
        <translation>Общий сервисный PIN больше не открывает меню: зарегистрируйте каждого техника командой 'kiosk service add-technician ИМЯ'.</translation>
    </message>
    <message>
        <source>The technician file is damaged: see the kiosk log.</source>
        <translation>Файл техников повреждён: см. журнал киоска.</translation>
    </message>
    <message>
        <source>The note was returned: this wallet cannot take more now.</source>
        <translation>Купюра возвращена: этот кошелёк сейчас не может принять больше.</translation>
    </message>
    <message>
        <source>The payment server is busy. Please try again in a minute.</source>
        <translation>Платёжный сервер занят. Попробуйте ещё раз через минуту.</translation>
    </message>
    <message>
        <source>This wallet cannot take more now.</source>
        <translation>Этот кошелёк сейчас не может принять больше.</translation>
    </message>
    <message>
        <source>Too many numbers were not found. Please try again in %1 s.</source>
        <translation>Слишком много номеров не найдено. Попробуйте снова через %1 с.</translation>
    </message>
    <message>
        <source>Accepted — being credited. This usually takes a minute, sometimes up to 30 minutes.</source>
        <translation>Принято — зачисляется. Обычно это занимает минуту, иногда до 30 минут.</translation>
    </message>
    <message>
        <source>Credited: the money is on the account.</source>
        <translation>Зачислено: деньги поступили на счёт.</translation>
    </message>
    <message>
        <source>Not credited: the amount is below the minimum payment of %1.</source>
        <translation>Не зачислено: сумма меньше минимального платежа %1.</translation>
    </message>
    <message>
        <source>Not credited: the payment was not accepted by the recipient.</source>
        <translation>Не зачислено: получатель не принял платёж.</translation>
    </message>
    <message>
        <source>Press Pay to credit them.</source>
        <translation>Нажмите «Оплатить», чтобы зачислить их.</translation>
    </message>
    <message>
        <source>Terminal %1. Support: %2</source>
        <translation>Терминал %1. Служба поддержки: %2</translation>
    </message>
    <message>
        <source>The money is held for a refund. Keep the receipt and the operation number and call support: %1</source>
        <translation>Деньги удержаны для возврата. Сохраните квитанцию и номер операции и позвоните в службу поддержки: %1</translation>
    </message>
    <message>
        <source>The payment completes to this account in a moment.</source>
        <translation>Платёж на этот счёт завершится через несколько секунд.</translation>
    </message>
    <message>
        <source>Your %1 are recorded and safe.</source>
        <translation>Ваши %1 учтены и в сохранности.</translation>
    </message>
    <message>
        <source>No commission</source>
        <translation>Без комиссии</translation>
    </message>
    <message>
        <source>Commission: %1</source>
        <translation>Комиссия: %1</translation>
    </message>
    <message>
        <source>Commission: %1; less from %2</source>
        <translation>Комиссия: %1; от %2 — меньше</translation>
    </message>
    <message>
        <source>Up to %1 more can be credited to the account</source>
        <translation>На счёт можно зачислить ещё до %1</translation>
    </message>
    <message>
        <source>The limit is reached: press Pay.</source>
        <translation>Лимит достигнут: нажмите «Оплатить».</translation>
    </message>
    <message>
        <source>The limit for this payment is reached.</source>
        <translation>Лимит этого платежа достигнут.</translation>
    </message>
    <message>
        <source>Enter the purse number</source>
        <translation>Введите номер кошелька</translation>
    </message>
    <message>
        <source>Enter the phone number</source>
        <translation>Введите номер телефона</translation>
    </message>
    <message>
        <source>Change is not given; money inserted cannot be returned.</source>
        <translation>Сдача не выдаётся; внесённые деньги не возвращаются.</translation>
    </message>
    <message>
        <source>Wait: the note is being counted.</source>
        <translation>Подождите: купюра пересчитывается.</translation>
    </message>
    <message>
        <source>Insert a note to pay.</source>
        <translation>Чтобы оплатить, вставьте купюру.</translation>
    </message>
    <message>
        <source>Pay works from the minimum payment of %1: insert more.</source>
        <translation>Оплата возможна от минимального платежа %1: внесите ещё.</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Your payment will be completed and the receipt printed in</source>
        <translation>Ваш платёж будет завершён и чек напечатан через</translation>
    </message>
    <message>
        <source>Are you still there?</source>
        <translation>Вы ещё здесь?</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 с</translation>
    </message>
    <message>
        <source>Yes, continue</source>
        <translation>Да, продолжить</translation>
    </message>
    <message>
        <source>Large text</source>
        <translation>Крупный шрифт</translation>
    </message>
</context>
<context>
    <name>OutOfServiceScreen</name>
    <message>
        <source>Temporarily out of service</source>
        <translation>Временно не работает</translation>
    </message>
    <message>
        <source>Payment status</source>
        <translation>Статус платежа</translation>
    </message>
    <message>
        <source>Please do not insert cash.</source>
        <translation>Пожалуйста, не вносите наличные.</translation>
    </message>
</context>
<context>
    <name>PrintingScreen</name>
    <message>
        <source>Completing the payment and printing the receipt…</source>
        <translation>Завершаем платёж и печатаем чек…</translation>
    </message>
</context>
<context>
    <name>ServiceScreen</name>
    <message>
        <source>Service PIN</source>
        <translation>Сервисный PIN</translation>
    </message>
    <message>
        <source>Technician number</source>
        <translation>Номер техника</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>Войти</translation>
    </message>
    <message>
        <source>Service menu</source>
        <translation>Сервисное меню</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Обновить</translation>
    </message>
    <message>
        <source>Collect cash</source>
        <translation>Инкассация</translation>
    </message>
    <message>
        <source>Send now</source>
        <translation>Отправить сейчас</translation>
    </message>
    <message>
        <source>Back to customers</source>
        <translation>Вернуться к клиентам</translation>
    </message>
    <message>
        <source>Exit kiosk</source>
        <translation>Выйти из киоска</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>готов</translation>
    </message>
    <message>
        <source>paper near its end: put in a new roll soon</source>
        <translation>бумага заканчивается: скоро замените рулон</translation>
    </message>
    <message>
        <source>out of paper: load a paper roll</source>
        <translation>нет бумаги: вставьте рулон бумаги</translation>
    </message>
    <message>
        <source>the printer cover is open: close it</source>
        <translation>крышка принтера открыта: закройте её</translation>
    </message>
    <message>
        <source>the printer is offline: check its panel and the paper feed</source>
        <translation>принтер не готов: проверьте его панель и подачу бумаги</translation>
    </message>
    <message>
        <source>printer error: clear the jam or switch the printer off and on</source>
        <translation>ошибка принтера: устраните замятие или выключите и включите принтер</translation>
    </message>
    <message>
        <source>the printer does not answer: check its power and cable</source>
        <translation>принтер не отвечает: проверьте питание и кабель</translation>
    </message>
    <message>
        <source>the printer cannot report its state: printing is not confirmed</source>
        <translation>принтер не сообщает своё состояние: печать не подтверждается</translation>
    </message>
    <message>
        <source>Test page printed.</source>
        <translation>Тестовая страница напечатана.</translation>
    </message>
    <message>
        <source>Receipt %1 printed again as a duplicate.</source>
        <translation>Квитанция %1 напечатана повторно как дубликат.</translation>
    </message>
    <message>
        <source>Not printed: %1</source>
        <translation>Не напечатано: %1</translation>
    </message>
    <message>
        <source>Not now: a customer's payment is in progress.</source>
        <translation>Сейчас нельзя: идёт платёж клиента.</translation>
    </message>
    <message>
        <source>No receipt printer is configured.</source>
        <translation>Принтер квитанций не настроен.</translation>
    </message>
    <message>
        <source>No receipt with number %1.</source>
        <translation>Квитанции с номером %1 нет.</translation>
    </message>
    <message>
        <source>The log goes to the terminal: no log file is configured.</source>
        <translation>Журнал выводится в терминал: файл журнала не настроен.</translation>
    </message>
    <message>
        <source>No log file yet at %1</source>
        <translation>Файла журнала %1 пока нет</translation>
    </message>
    <message>
        <source>The log file cannot be read: %1</source>
        <translation>Не удаётся прочитать файл журнала: %1</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Состояние</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>Принтер</translation>
    </message>
    <message>
        <source>Note test</source>
        <translation>Тест купюр</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Журнал</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>Перезапуск</translation>
    </message>
    <message>
        <source>Printer: %1</source>
        <translation>Принтер: %1</translation>
    </message>
    <message>
        <source>Print a test page</source>
        <translation>Напечатать тестовую страницу</translation>
    </message>
    <message>
        <source>Number of the receipt to print again</source>
        <translation>Номер квитанции для повторной печати</translation>
    </message>
    <message>
        <source>Reprint</source>
        <translation>Перепечатать</translation>
    </message>
    <message>
        <source>Insert notes one by one: each is recognised and given back, nothing is kept.</source>
        <translation>Вставляйте купюры по одной: каждая распознаётся и возвращается, ничего не остаётся.</translation>
    </message>
    <message>
        <source>Stop the test</source>
        <translation>Остановить тест</translation>
    </message>
    <message>
        <source>Start the test</source>
        <translation>Начать тест</translation>
    </message>
    <message>
        <source>A customer's session is open: the test can start when it ends.</source>
        <translation>Открыт сеанс клиента: тест можно начать после его завершения.</translation>
    </message>
    <message>
        <source>Recognised: %1</source>
        <translation>Распознано: %1</translation>
    </message>
    <message>
        <source>no banknote acceptor is configured</source>
        <translation>купюроприёмник не настроен</translation>
    </message>
    <message>
        <source>not connected: check its power and cable</source>
        <translation>не подключён: проверьте питание и кабель</translation>
    </message>
    <message>
        <source>working</source>
        <translation>работает</translation>
    </message>
    <message>
        <source>jammed: open it and take out the stuck note</source>
        <translation>замятие: откройте его и извлеките застрявшую купюру</translation>
    </message>
    <message>
        <source>the cassette is full: collect the cash</source>
        <translation>кассета заполнена: проведите инкассацию</translation>
    </message>
    <message>
        <source>the cassette is out: put it back</source>
        <translation>кассета извлечена: установите её на место</translation>
    </message>
    <message>
        <source>a tampering attempt was detected: check the note path</source>
        <translation>обнаружена попытка мошенничества: проверьте тракт купюр</translation>
    </message>
    <message>
        <source>failed: switch it off and on, then see the log</source>
        <translation>неисправность: выключите и включите его, затем посмотрите журнал</translation>
    </message>
    <message>
        <source>reports a state this menu does not know: see the log</source>
        <translation>сообщает состояние, неизвестное меню: посмотрите журнал</translation>
    </message>
    <message>
        <source>enough</source>
        <translation>достаточно</translation>
    </message>
    <message>
        <source>near its end: put in a new roll soon</source>
        <translation>заканчивается: скоро вставьте новый рулон</translation>
    </message>
    <message>
        <source>none left: load a paper roll</source>
        <translation>закончилась: вставьте рулон бумаги</translation>
    </message>
    <message>
        <source>no printer</source>
        <translation>принтера нет</translation>
    </message>
    <message>
        <source>unknown: the printer does not say</source>
        <translation>неизвестно: принтер не сообщает</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>подключён</translation>
    </message>
    <message>
        <source>not connected: the ledger refuses this terminal</source>
        <translation>не подключён: сервер учёта не принимает этот терминал</translation>
    </message>
    <message>
        <source>not connected: the secure connection failed</source>
        <translation>не подключён: не удалось установить защищённое соединение</translation>
    </message>
    <message>
        <source>not connected: the answers are not signed by the ledger</source>
        <translation>не подключён: ответы не подписаны сервером учёта</translation>
    </message>
    <message>
        <source>no ledger is configured</source>
        <translation>сервер учёта не настроен</translation>
    </message>
    <message>
        <source>not connected: the ledger does not answer</source>
        <translation>не подключён: сервер учёта не отвечает</translation>
    </message>
    <message>
        <source>Taking payments.</source>
        <translation>Платежи принимаются.</translation>
    </message>
    <message>
        <source>the banknote acceptor is not connected</source>
        <translation>купюроприёмник не подключён</translation>
    </message>
    <message>
        <source>the banknote acceptor is jammed</source>
        <translation>в купюроприёмнике замятие</translation>
    </message>
    <message>
        <source>the banknote acceptor failed</source>
        <translation>купюроприёмник неисправен</translation>
    </message>
    <message>
        <source>the cassette is out</source>
        <translation>кассета извлечена</translation>
    </message>
    <message>
        <source>the cassette is full</source>
        <translation>кассета заполнена</translation>
    </message>
    <message>
        <source>the printer cannot print</source>
        <translation>принтер не может печатать</translation>
    </message>
    <message>
        <source>the kiosk's database failed</source>
        <translation>сбой базы данных терминала</translation>
    </message>
    <message>
        <source>no ledger connection for too long</source>
        <translation>слишком долго нет связи с сервером учёта</translation>
    </message>
    <message>
        <source>the kiosk is stopping</source>
        <translation>терминал останавливается</translation>
    </message>
    <message>
        <source>a technical fault</source>
        <translation>техническая неисправность</translation>
    </message>
    <message>
        <source>Payments paused: %1.</source>
        <translation>Приём платежей приостановлен: %1.</translation>
    </message>
    <message>
        <source>acceptor disconnected</source>
        <translation>купюроприёмник отключился</translation>
    </message>
    <message>
        <source>acceptor jammed</source>
        <translation>замятие в купюроприёмнике</translation>
    </message>
    <message>
        <source>acceptor failed</source>
        <translation>отказ купюроприёмника</translation>
    </message>
    <message>
        <source>cassette taken out</source>
        <translation>кассета извлечена</translation>
    </message>
    <message>
        <source>cassette full</source>
        <translation>кассета заполнена</translation>
    </message>
    <message>
        <source>acceptor fault cleared</source>
        <translation>неисправность купюроприёмника устранена</translation>
    </message>
    <message>
        <source>acceptor connected again</source>
        <translation>купюроприёмник снова подключён</translation>
    </message>
    <message>
        <source>cassette put back</source>
        <translation>кассета установлена на место</translation>
    </message>
    <message>
        <source>a note was rejected</source>
        <translation>купюра отклонена</translation>
    </message>
    <message>
        <source>a note's stacking was not confirmed at start-up</source>
        <translation>при запуске не подтверждено, что купюра уложена в кассету</translation>
    </message>
    <message>
        <source>cash found without an account at start-up</source>
        <translation>при запуске найдены деньги без счёта</translation>
    </message>
    <message>
        <source>a payment in an impossible state at start-up</source>
        <translation>при запуске найден платёж в невозможном состоянии</translation>
    </message>
    <message>
        <source>device event: %1</source>
        <translation>событие устройства: %1</translation>
    </message>
    <message>
        <source>Banknote acceptor: %1</source>
        <translation>Купюроприёмник: %1</translation>
    </message>
    <message>
        <source>Model, serial and firmware: %1</source>
        <translation>Модель, серийный номер и прошивка: %1</translation>
    </message>
    <message>
        <source>Unencrypted replies refused on the acceptor's cable: %1 (a device may be spliced into it)</source>
        <translation>Отклонено незашифрованных ответов на кабеле купюроприёмника: %1 (в кабель могло быть врезано чужое устройство)</translation>
    </message>
    <message>
        <source>Paper: %1</source>
        <translation>Бумага: %1</translation>
    </message>
    <message>
        <source>Ledger: %1</source>
        <translation>Сервер учёта: %1</translation>
    </message>
    <message>
        <source>Nothing is waiting to be sent to the ledger.</source>
        <translation>Ничего не ждёт отправки на сервер учёта.</translation>
    </message>
    <message>
        <source>Waiting to be sent to the ledger: %2 (records: %1); the oldest for %3 min.</source>
        <translation>Ждут отправки на сервер учёта: %2 (записей: %1); самая старая ждёт %3 мин.</translation>
    </message>
    <message>
        <source>In the cassette: %2 (notes: %1)</source>
        <translation>В кассете: %2 (купюр: %1)</translation>
    </message>
    <message>
        <source>Payments today: %1</source>
        <translation>Платежей сегодня: %1</translation>
    </message>
    <message>
        <source>Terminal %1, technician %2</source>
        <translation>Терминал %1, техник %2</translation>
    </message>
    <message>
        <source>Latest device events</source>
        <translation>Последние события устройств</translation>
    </message>
    <message>
        <source>No device events recorded.</source>
        <translation>Событий устройств не записано.</translation>
    </message>
    <message>
        <source>Cash collected</source>
        <translation>Инкассация проведена</translation>
    </message>
    <message>
        <source>Type the amount you counted, in tenge</source>
        <translation>Введите пересчитанную сумму в тенге</translation>
    </message>
    <message>
        <source>Check the count before collecting</source>
        <translation>Проверьте пересчёт перед инкассацией</translation>
    </message>
    <message>
        <source>Collect cash: what the kiosk recorded</source>
        <translation>Инкассация: что записал терминал</translation>
    </message>
    <message>
        <source>Not now: a customer's payment is in progress. Try again when it ends.</source>
        <translation>Не сейчас: идёт платёж клиента. Повторите, когда он завершится.</translation>
    </message>
    <message>
        <source>The collection failed: nothing was collected; see the kiosk log.</source>
        <translation>Инкассация не удалась: ничего не изъято; посмотрите журнал терминала.</translation>
    </message>
    <message>
        <source>%1 × %2 = %3</source>
        <translation>%1 × %2 = %3</translation>
    </message>
    <message>
        <source>Recorded: %2 (notes: %1)</source>
        <translation>Записано: %2 (купюр: %1)</translation>
    </message>
    <message>
        <source>No notes since the kiosk was set up.</source>
        <translation>С установки терминала купюр не было.</translation>
    </message>
    <message>
        <source>Since the last collection on %1</source>
        <translation>С последней инкассации %1</translation>
    </message>
    <message>
        <source>Since the first note on %1 (no collection before)</source>
        <translation>С первой купюры %1 (инкассаций ещё не было)</translation>
    </message>
    <message>
        <source>Cassette: %1</source>
        <translation>Кассета: %1</translation>
    </message>
    <message>
        <source>not reported by the device</source>
        <translation>устройство не сообщает</translation>
    </message>
    <message>
        <source>Recorded by the kiosk: %1</source>
        <translation>Записано терминалом: %1</translation>
    </message>
    <message>
        <source>Counted by you: %1</source>
        <translation>Пересчитано вами: %1</translation>
    </message>
    <message>
        <source>Difference: none</source>
        <translation>Расхождения нет</translation>
    </message>
    <message>
        <source>Difference: %1</source>
        <translation>Расхождение: %1</translation>
    </message>
    <message>
        <source>The count and the difference go on the encashment receipt and into the log.</source>
        <translation>Пересчёт и расхождение попадут в квитанцию инкассации и в журнал.</translation>
    </message>
    <message>
        <source>Encashment %1: %2</source>
        <translation>Инкассация %1: %2</translation>
    </message>
    <message>
        <source>the receipt is printed.</source>
        <translation>квитанция напечатана.</translation>
    </message>
    <message>
        <source>the receipt is not printed (%1).</source>
        <translation>квитанция не напечатана (%1).</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Готово</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Назад</translation>
    </message>
    <message>
        <source>Count the cash</source>
        <translation>Пересчитать деньги</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Проверить</translation>
    </message>
    <message>
        <source>Collect</source>
        <translation>Провести инкассацию</translation>
    </message>
    <message>
        <source>Restart the kiosk program now?</source>
        <translation>Перезапустить программу терминала сейчас?</translation>
    </message>
    <message>
        <source>Exit the kiosk program now? Customers cannot pay until it is started again.</source>
        <translation>Закрыть программу терминала сейчас? Пока её не запустят снова, клиенты не смогут платить.</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Нет</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Да</translation>
    </message>
    <message>
        <source>acceptor switched on</source>
        <translation>купюроприёмник включился</translation>
    </message>
    <message>
        <source>a tampering attempt</source>
        <translation>попытка мошенничества</translation>
    </message>
    <message>
        <source>a note's stacking reported twice (counted once)</source>
        <translation>укладка купюры сообщена дважды (учтена один раз)</translation>
    </message>
    <message>
        <source>the stacked amount differs from the note taken</source>
        <translation>уложенная сумма отличается от принятой купюры</translation>
    </message>
    <message>
        <source>a note given back</source>
        <translation>купюра возвращена</translation>
    </message>
    <message>
        <source>a note recognised in the note test</source>
        <translation>купюра распознана в тесте купюр</translation>
    </message>
    <message>
        <source>an unknown note found in the cassette</source>
        <translation>в кассете найдена неучтённая купюра</translation>
    </message>
    <message>
        <source>a note's stacking was settled</source>
        <translation>укладка купюры выяснена</translation>
    </message>
    <message>
        <source>acceptor error</source>
        <translation>ошибка купюроприёмника</translation>
    </message>
    <message>
        <source>Nothing to collect: no note was taken since the last collection.</source>
        <translation>Нечего инкассировать: с последней инкассации не принято ни одной купюры.</translation>
    </message>
</context>
<context>
    <name>StepIndicator</name>
    <message>
        <source>Service</source>
        <translation>Услуга</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Номер</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>Наличные</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>Чек</translation>
    </message>
</context>
<context>
    <name>StatusScreen</name>
    <message>
        <source>Enter the operation number from the receipt (at least its first 8 characters)</source>
        <translation>Введите номер операции с квитанции (хотя бы первые 8 символов)</translation>
    </message>
    <message>
        <source>Operation No.</source>
        <translation>№ операции</translation>
    </message>
    <message>
        <source>Receipt No.</source>
        <translation>№ квитанции</translation>
    </message>
    <message>
        <source>Print the receipt</source>
        <translation>Напечатать квитанцию</translation>
    </message>
    <message>
        <source>Payment status</source>
        <translation>Статус платежа</translation>
    </message>
    <message>
        <source>Enter the receipt number</source>
        <translation>Введите номер чека</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Назад</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Проверить</translation>
    </message>
    <message>
        <source>Enter the whole operation number from the receipt or the end-of-payment screen</source>
        <translation>Введите номер операции полностью — с квитанции или с экрана в конце платежа</translation>
    </message>
    <message>
        <source>No. %1: now enter the amount you inserted, in tenge</source>
        <translation>№ %1: теперь введите внесённую сумму в тенге</translation>
    </message>
</context>
<context>
    <name>ThanksScreen</name>
    <message>
        <source>Thank you!</source>
        <translation>Спасибо!</translation>
    </message>
    <message>
        <source>Receipt No. %1</source>
        <translation>Чек № %1</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Готово</translation>
    </message>
    <message>
        <source>Operation No. %1</source>
        <translation>Операция № %1</translation>
    </message>
    <message>
        <source>Keep the operation number: with it the status screen shows this payment and prints its receipt.</source>
        <translation>Сохраните номер операции: по нему на экране статуса можно увидеть этот платёж и распечатать его чек.</translation>
    </message>
    <message>
        <source>Scan the code with your phone to check this payment later.</source>
        <translation>Отсканируйте код телефоном, чтобы проверить этот платёж позже.</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Счёт / номер</translation>
    </message>
    <message>
        <source>Commission</source>
        <translation>Комиссия</translation>
    </message>
    <message>
        <source>Inserted</source>
        <translation>Внесено</translation>
    </message>
    <message>
        <source>To be credited</source>
        <translation>К зачислению</translation>
    </message>
    <message>
        <source>Held for refund</source>
        <translation>Удержано для возврата</translation>
    </message>
    <message>
        <source>Credited</source>
        <translation>Зачислено</translation>
    </message>
</context>
</TS>
