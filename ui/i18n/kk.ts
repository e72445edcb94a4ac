<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="kk_KZ" sourcelanguage="en_US">
<context>
    <name>CashScreen</name>
    <message>
        <source>Insert banknotes one at a time</source>
        <translation>Банкноттарды бір-бірден салыңыз</translation>
    </message>
    <message>
        <source>Inserted</source>
        <translation>Салынды</translation>
    </message>
    <message>
        <source>Commission</source>
        <translation>Комиссия</translation>
    </message>
    <message>
        <source>To be credited</source>
        <translation>Есепке алынады</translation>
    </message>
    <message>
        <source>Minimum payment: %1</source>
        <translation>Ең аз төлем: %1</translation>
    </message>
    <message>
        <source>You can insert up to %1 more</source>
        <translation>Тағы %1-ге дейін салуға болады</translation>
    </message>
    <message>
        <source>Accepted notes: %1</source>
        <translation>Қабылданатын банкноттар: %1</translation>
    </message>
    <message>
        <source>No more notes can be accepted</source>
        <translation>Бұдан артық банкнот қабылданбайды</translation>
    </message>
    <message>
        <source>Counting the note…</source>
        <translation>Банкнот тексерілуде…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Бас тарту</translation>
    </message>
    <message>
        <source>Pay</source>
        <translation>Төлеу</translation>
    </message>
</context>
<context>
    <name>CatalogScreen</name>
    <message>
        <source>Mobile phone</source>
        <translation>Ұялы телефон</translation>
    </message>
    <message>
        <source>E-wallets</source>
        <translation>Электрондық әмияндар</translation>
    </message>
    <message>
        <source>Choose where the money goes</source>
        <translation>Ақша қайда түсетінін таңдаңыз</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Артқа</translation>
    </message>
</context>
<context>
    <name>CheckedScreen</name>
    <message>
        <source>Pay without a receipt</source>
        <translation>Түбіртексіз төлеу</translation>
    </message>
    <message>
        <source>Recipient: %1</source>
        <translation>Алушы: %1</translation>
    </message>
    <message>
        <source>The number could not be checked online: it was checked by its format only.</source>
        <translation>Нөмірді желіде тексеру мүмкін болмады: тек пішімі бойынша тексерілді.</translation>
    </message>
    <message>
        <source>Minimum payment: %1</source>
        <translation>Ең аз төлем: %1</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Бас тарту</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Өзгерту</translation>
    </message>
    <message>
        <source>Insert cash</source>
        <translation>Ақша салу</translation>
    </message>
</context>
<context>
    <name>ConfirmScreen</name>
    <message>
        <source>Is this number right?</source>
        <translation>Нөмір дұрыс па?</translation>
    </message>
    <message>
        <source>Another operator</source>
        <translation>Басқа оператор</translation>
    </message>
    <message>
        <source>Checking the number…</source>
        <translation>Нөмір тексерілуде…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Бас тарту</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Өзгерту</translation>
    </message>
    <message>
        <source>Correct</source>
        <translation>Дұрыс</translation>
    </message>
</context>
<context>
    <name>EntryScreen</name>
    <message>
        <source>Enter the purse number</source>
        <translation>Әмиян нөмірін енгізіңіз</translation>
    </message>
    <message>
        <source>Enter the phone number</source>
        <translation>Телефон нөмірін енгізіңіз</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Бас тарту</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Әрі қарай</translation>
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
        <translation>Қолдау қызметі: %1</translation>
    </message>
</context>
<context>
    <name>IdleScreen</name>
    <message>
        <source>Top up a wallet or a phone</source>
        <translation>Әмиянды немесе телефонды толықтыру</translation>
    </message>
    <message>
        <source>Cash only. No change is given: everything you insert is paid in, less the commission shown on the service.</source>
        <translation>Тек қолма-қол ақша. Қайтарым берілмейді: салынған ақшаның бәрі қызметте көрсетілген комиссия шегеріліп, төлемге түседі.</translation>
    </message>
    <message>
        <source>E-wallets</source>
        <translation>Электрондық әмияндар</translation>
    </message>
    <message>
        <source>Mobile phone</source>
        <translation>Ұялы телефон</translation>
    </message>
    <message>
        <source>Payment status</source>
        <translation>Төлем күйі</translation>
    </message>
</context>
<context>
    <name>InfoScreen</name>
    <message>
        <source>About this terminal</source>
        <translation>Терминал туралы</translation>
    </message>
    <message>
        <source>Terminal number: %1</source>
        <translation>Терминал нөмірі: %1</translation>
    </message>
    <message>
        <source>Address: %1</source>
        <translation>Мекенжайы: %1</translation>
    </message>
    <message>
        <source>Payment agent: %1</source>
        <translation>Төлем агенті: %1</translation>
    </message>
    <message>
        <source>BIN: %1</source>
        <translation>БСН: %1</translation>
    </message>
    <message>
        <source>Support: %1</source>
        <translation>Қолдау қызметі: %1</translation>
    </message>
    <message>
        <source>Lost your receipt? Tell support the terminal number and the time of payment.</source>
        <translation>Түбіртек жоғалды ма? Қолдау қызметіне терминал нөмірі мен төлем уақытын айтыңыз.</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Артқа</translation>
    </message>
</context>
<context>
    <name>KioskViewModel</name>
    <message>
        <source>The 8 you typed first is read as +7.</source>
        <translation>Алдымен терілген 8 саны +7 деп оқылды.</translation>
    </message>
    <message>
        <source>The 7 you typed first is read as +7.</source>
        <translation>Алдымен терілген 7 саны +7 деп оқылды.</translation>
    </message>
    <message>
        <source>The number is complete: +7 and 10 digits. To change it, press ⌫ or C.</source>
        <translation>Нөмір толық терілді: +7 және 10 цифр. Түзету үшін ⌫ немесе C түймесін басыңыз.</translation>
    </message>
    <message>
        <source>The purse number is complete: K and 12 digits. To change it, press ⌫ or C.</source>
        <translation>Әмиян нөмірі толық терілді: K және 12 цифр. Түзету үшін ⌫ немесе C түймесін басыңыз.</translation>
    </message>
    <message>
        <source>Press «Another operator» to choose the number's operator, or «Correct» to go on.</source>
        <translation>Нөмірдің операторын таңдау үшін «Басқа оператор» түймесін, жалғастыру үшін «Дұрыс» түймесін басыңыз.</translation>
    </message>
    <message>
        <source>Several payments start like this: type more of the operation number.</source>
        <translation>Бірнеше төлем осылай басталады: операция нөмірін толығырақ енгізіңіз.</translation>
    </message>
    <message>
        <source>Type at least %1 characters of the operation number.</source>
        <translation>Операция нөмірінің кемінде %1 таңбасын енгізіңіз.</translation>
    </message>
    <message>
        <source>No payment with this operation number at this terminal.</source>
        <translation>Бұл терминалда мұндай операция нөмірі бойынша төлем жоқ.</translation>
    </message>
    <message>
        <source>The receipt cannot be printed now. Please try later or call support.</source>
        <translation>Түбіртекті қазір басып шығару мүмкін емес. Кейінірек қайталаңыз немесе қолдау қызметіне хабарласыңыз.</translation>
    </message>
    <message>
        <source>Your receipt is printed.</source>
        <translation>Түбіртегіңіз басып шығарылды.</translation>
    </message>
    <message>
        <source>You can still pay without a receipt: the payment is recorded, and the next screen shows its receipt number to check it later.</source>
        <translation>Түбіртексіз де төлей аласыз: төлем тіркеледі, ал келесі экран оны кейін тексеру үшін түбіртек нөмірін көрсетеді.</translation>
    </message>
    <message>
        <source>The receipt printer is not working.</source>
        <translation>Түбіртек принтері істемей тұр.</translation>
    </message>
    <message>
        <source>The receipt printer is out of paper.</source>
        <translation>Түбіртек принтерінде қағаз таусылды.</translation>
    </message>
    <message>
        <source>the most this service takes in one payment</source>
        <translation>осы қызметтің бір төлемдегі ең көп сомасы</translation>
    </message>
    <message>
        <source>the wallet's limit for one payment</source>
        <translation>әмиянның бір төлемдік лимиті</translation>
    </message>
    <message>
        <source>the wallet's balance limit</source>
        <translation>әмиян қалдығының лимиті</translation>
    </message>
    <message>
        <source>the wallet's daily limit</source>
        <translation>әмиянның күндік лимиті</translation>
    </message>
    <message>
        <source>the limit for payments while the network is down</source>
        <translation>байланыссыз төлем лимиті</translation>
    </message>
    <message>
        <source>This note is not accepted now: see the accepted notes.</source>
        <translation>Бұл банкнот қазір қабылданбайды: қабылданатын банкноттарды қараңыз.</translation>
    </message>
    <message>
        <source>The note was not recognised. Please try another note.</source>
        <translation>Банкнот танылмады. Басқа банкнот салып көріңіз.</translation>
    </message>
    <message>
        <source>The note was returned: over the maximum for this service.</source>
        <translation>Банкнот қайтарылды: осы қызметтің ең көп сомасынан асады.</translation>
    </message>
    <message>
        <source>The note was returned: over the wallet limit.</source>
        <translation>Банкнот қайтарылды: әмиян лимитінен асады.</translation>
    </message>
    <message>
        <source>The note was returned: over the wallet's daily limit.</source>
        <translation>Банкнот қайтарылды: әмиянның күндік лимитінен асады.</translation>
    </message>
    <message>
        <source>The note was returned: over the offline limit.</source>
        <translation>Банкнот қайтарылды: байланыссыз төлем лимитінен асады.</translation>
    </message>
    <message>
        <source>The note was returned: the kiosk is not taking cash now.</source>
        <translation>Банкнот қайтарылды: терминал қазір ақша қабылдамайды.</translation>
    </message>
    <message>
        <source>The note was returned: the kiosk is out of service.</source>
        <translation>Банкнот қайтарылды: терминал жұмыс істемейді.</translation>
    </message>
    <message>
        <source>The note was returned by the acceptor.</source>
        <translation>Банкнотты купюра қабылдағыш қайтарды.</translation>
    </message>
    <message>
        <source>The note was returned.</source>
        <translation>Банкнот қайтарылды.</translation>
    </message>
    <message>
        <source>A technical fault: payments are paused.</source>
        <translation>Техникалық ақау: төлемдер уақытша тоқтатылды.</translation>
    </message>
    <message>
        <source>No connection to the payment server for too long.</source>
        <translation>Төлем серверімен байланыс тым ұзақ уақыт жоқ.</translation>
    </message>
    <message>
        <source>The banknote acceptor is not working.</source>
        <translation>Купюра қабылдағыш жұмыс істемейді.</translation>
    </message>
    <message>
        <source>The banknote acceptor is jammed.</source>
        <translation>Купюра қабылдағышта банкнот кептеліп қалды.</translation>
    </message>
    <message>
        <source>The kiosk is being serviced.</source>
        <translation>Терминалға қызмет көрсетілуде.</translation>
    </message>
    <message>
        <source>The cash box is full.</source>
        <translation>Ақша жәшігі толы.</translation>
    </message>
    <message>
        <source>The kiosk is temporarily out of service.</source>
        <translation>Терминал уақытша жұмыс істемейді.</translation>
    </message>
    <message>
        <source>Planned maintenance: the kiosk is temporarily out of service.</source>
        <translation>Жоспарлы техникалық жұмыстар: терминал уақытша жұмыс істемейді.</translation>
    </message>
    <message>
        <source>Planned maintenance from %1: payments will not be possible.</source>
        <translation>Сағат %1 бастап жоспарлы техникалық жұмыстар: төлем жасау мүмкін болмайды.</translation>
    </message>
    <message>
        <source>No connection to the payment server. You can still pay: the money is credited when the connection is back. Numbers cannot be checked now.</source>
        <translation>Төлем серверімен байланыс жоқ. Төлеуге болады: ақша байланыс қалпына келгенде түседі. Нөмірді қазір тексеру мүмкін емес.</translation>
    </message>
    <message>
        <source>No wallet with this number was found. Please check the number.</source>
        <translation>Мұндай нөмірлі әмиян табылмады. Нөмірді тексеріңіз.</translation>
    </message>
    <message>
        <source>Payments to this wallet are not possible. Please contact the wallet's operator.</source>
        <translation>Бұл әмиянға төлем жасау мүмкін емес. Әмиян операторына хабарласыңыз.</translation>
    </message>
    <message>
        <source>This wallet is inactive. Please contact the wallet's operator.</source>
        <translation>Бұл әмиян белсенді емес. Әмиян операторына хабарласыңыз.</translation>
    </message>
    <message>
        <source>This wallet cannot receive more money now: its limit is reached.</source>
        <translation>Бұл әмиянға қазір ақша түсіру мүмкін емес: оның лимитіне жетті.</translation>
    </message>
    <message>
        <source>This number cannot receive a payment now. Please check it. Code: %1</source>
        <translation>Бұл нөмірге қазір төлем жасау мүмкін емес. Нөмірді тексеріңіз. Код: %1</translation>
    </message>
    <message>
        <source>Take your receipt: it is the proof of payment.</source>
        <translation>Түбіртекті алыңыз: ол төлемнің дәлелі.</translation>
    </message>
    <message>
        <source>The receipt could not be printed. Keep the receipt number: it is the proof.</source>
        <translation>Түбіртек басылмады. Түбіртек нөмірін сақтаңыз: ол дәлел болады.</translation>
    </message>
    <message>
        <source>No payment with this receipt number at this terminal.</source>
        <translation>Бұл терминалда мұндай нөмірлі түбіртек бойынша төлем жоқ.</translation>
    </message>
    <message>
        <source>Something went wrong. Please try again or call support.</source>
        <translation>Бірдеңе дұрыс болмады. Қайталап көріңіз немесе қолдау қызметіне хабарласыңыз.</translation>
    </message>
    <message>
        <source>Locked after too many wrong PINs. Try again in %1 min.</source>
        <translation>PIN тым көп рет қате енгізілгендіктен құлыпталды. %1 минуттан кейін қайталаңыз.</translation>
    </message>
    <message>
        <source>Wrong number or PIN. Tries left: %1</source>
        <translation>Нөмір немесе PIN қате. Қалған талпыныс: %1</translation>
    </message>
    <message>
        <source>No technician is registered: run 'kiosk service add-technician NAME'.</source>
        <translation>Бірде-бір техник тіркелмеген: 'kiosk service add-technician АТЫ' командасын орындаңыз.</translation>
    </message>
    <message>
        <source>The shared service PIN no longer opens the menu: register each technician with 'kiosk service add-technician NAME'.</source>
        <translation>Ортақ сервистік PIN енді мәзірді ашпайды: әр техникті 'kiosk service add-technician АТЫ' командасымен тіркеңіз.</translation>
    </message>
    <message>
        <source>The technician file is damaged: see the kiosk log.</source>
        <translation>Техниктер файлы бүлінген: киоск журналын қараңыз.</translation>
    </message>
    <message>
        <source>The note was returned: this wallet cannot take more now.</source>
        <translation>Банкнот қайтарылды: бұл әмиянға қазір бұдан артық салуға болмайды.</translation>
    </message>
    <message>
        <source>The payment server is busy. Please try again in a minute.</source>
        <translation>Төлем сервері қазір бос емес. Бір минуттан кейін қайталап көріңіз.</translation>
    </message>
    <message>
        <source>This wallet cannot take more now.</source>
        <translation>Бұл әмиянға қазір бұдан артық салуға болмайды.</translation>
    </message>
    <message>
        <source>Too many numbers were not found. Please try again in %1 s.</source>
        <translation>Тым көп нөмір табылмады. %1 секундтан кейін қайталап көріңіз.</translation>
    </message>
    <message>
        <source>Accepted — being credited. This usually takes a minute, sometimes up to 30 minutes.</source>
        <translation>Қабылданды — есепке алынуда. Әдетте бір минут, кейде 30 минутқа дейін созылады.</translation>
    </message>
    <message>
        <source>Credited: the money is on the account.</source>
        <translation>Есепке алынды: ақша шотқа түсті.</translation>
    </message>
    <message>
        <source>Not credited: the amount is below the minimum payment of %1.</source>
        <translation>Есепке алынбады: сома ең аз төлемнен (%1) аз.</translation>
    </message>
    <message>
        <source>Not credited: the payment was not accepted by the recipient.</source>
        <translation>Есепке алынбады: алушы төлемді қабылдамады.</translation>
    </message>
    <message>
        <source>Press Pay to credit them.</source>
        <translation>Оларды есепке алу үшін «Төлеу» түймесін басыңыз.</translation>
    </message>
    <message>
        <source>Terminal %1. Support: %2</source>
        <translation>Терминал %1. Қолдау қызметі: %2</translation>
    </message>
    <message>
        <source>The money is held for a refund. Keep the receipt and the operation number and call support: %1</source>
        <translation>Ақша қайтару үшін ұсталып тұр. Түбіртек пен операция нөмірін сақтап, қолдау қызметіне қоңырау шалыңыз: %1</translation>
    </message>
    <message>
        <source>The payment completes to this account in a moment.</source>
        <translation>Төлем осы шотқа сәлден кейін аяқталады.</translation>
    </message>
    <message>
        <source>Your %1 are recorded and safe.</source>
        <translation>Сіз салған %1 тіркелді және сақтаулы.</translation>
    </message>
    <message>
        <source>No commission</source>
        <translation>Комиссиясыз</translation>
    </message>
    <message>
        <source>Commission: %1</source>
        <translation>Комиссия: %1</translation>
    </message>
    <message>
        <source>Commission: %1; less from %2</source>
        <translation>Комиссия: %1; %2-ден бастап азырақ</translation>
    </message>
    <message>
        <source>Up to %1 more can be credited to the account</source>
        <translation>Шотқа тағы %1-ге дейін есепке алуға болады</translation>
    </message>
    <message>
        <source>The limit is reached: press Pay.</source>
        <translation>Лимитке жеттіңіз: «Төлеу» түймесін басыңыз.</translation>
    </message>
    <message>
        <source>The limit for this payment is reached.</source>
        <translation>Бұл төлемнің лимитіне жеттіңіз.</translation>
    </message>
    <message>
        <source>Enter the purse number</source>
        <translation>Әмиян нөмірін енгізіңіз</translation>
    </message>
    <message>
        <source>Enter the phone number</source>
        <translation>Телефон нөмірін енгізіңіз</translation>
    </message>
    <message>
        <source>Change is not given; money inserted cannot be returned.</source>
        <translation>Қайтарым берілмейді; салынған ақша қайтарылмайды.</translation>
    </message>
    <message>
        <source>Wait: the note is being counted.</source>
        <translation>Күте тұрыңыз: банкнот саналуда.</translation>
    </message>
    <message>
        <source>Insert a note to pay.</source>
        <translation>Төлеу үшін банкнот салыңыз.</translation>
    </message>
    <message>
        <source>Pay works from the minimum payment of %1: insert more.</source>
        <translation>Төлеу ең аз төлемнен (%1) бастап мүмкін: тағы салыңыз.</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Your payment will be completed and the receipt printed in</source>
        <translation>Төлеміңіз аяқталып, түбіртек басылады:</translation>
    </message>
    <message>
        <source>Are you still there?</source>
        <translation>Әлі осындасыз ба?</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 с</translation>
    </message>
    <message>
        <source>Yes, continue</source>
        <translation>Иә, жалғастыру</translation>
    </message>
    <message>
        <source>Large text</source>
        <translation>Үлкен қаріп</translation>
    </message>
</context>
<context>
    <name>OutOfServiceScreen</name>
    <message>
        <source>Temporarily out of service</source>
        <translation>Уақытша жұмыс істемейді</translation>
    </message>
    <message>
        <source>Payment status</source>
        <translation>Төлем күйі</translation>
    </message>
    <message>
        <source>Please do not insert cash.</source>
        <translation>Қолма-қол ақша салмаңыз.</translation>
    </message>
</context>
<context>
    <name>PrintingScreen</name>
    <message>
        <source>Completing the payment and printing the receipt…</source>
        <translation>Төлем аяқталып, түбіртек басылуда…</translation>
    </message>
</context>
<context>
    <name>ServiceScreen</name>
    <message>
        <source>Service PIN</source>
        <translation>Сервистік PIN</translation>
    </message>
    <message>
        <source>Technician number</source>
        <translation>Техник нөмірі</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Бас тарту</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>Енгізу</translation>
    </message>
    <message>
        <source>Service menu</source>
        <translation>Сервистік мәзір</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Жаңарту</translation>
    </message>
    <message>
        <source>Collect cash</source>
        <translation>Инкассация</translation>
    </message>
    <message>
        <source>Send now</source>
        <translation>Қазір жіберу</translation>
    </message>
    <message>
        <source>Back to customers</source>
        <translation>Клиенттерге оралу</translation>
    </message>
    <message>
        <source>Exit kiosk</source>
        <translation>Киосктан шығу</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>дайын</translation>
    </message>
    <message>
        <source>paper near its end: put in a new roll soon</source>
        <translation>қағаз таусылуға жақын: жақында жаңа орам салыңыз</translation>
    </message>
    <message>
        <source>out of paper: load a paper roll</source>
        <translation>қағаз таусылды: қағаз орамын салыңыз</translation>
    </message>
    <message>
        <source>the printer cover is open: close it</source>
        <translation>принтердің қақпағы ашық: оны жабыңыз</translation>
    </message>
    <message>
        <source>the printer is offline: check its panel and the paper feed</source>
        <translation>принтер дайын емес: панелін және қағаз беруін тексеріңіз</translation>
    </message>
    <message>
        <source>printer error: clear the jam or switch the printer off and on</source>
        <translation>принтер қатесі: кептелген қағазды алыңыз немесе принтерді өшіріп, қайта қосыңыз</translation>
    </message>
    <message>
        <source>the printer does not answer: check its power and cable</source>
        <translation>принтер жауап бермейді: қоректендіруі мен кабелін тексеріңіз</translation>
    </message>
    <message>
        <source>the printer cannot report its state: printing is not confirmed</source>
        <translation>принтер күйін хабарлай алмайды: басып шығару расталмайды</translation>
    </message>
    <message>
        <source>Test page printed.</source>
        <translation>Сынақ беті басылды.</translation>
    </message>
    <message>
        <source>Receipt %1 printed again as a duplicate.</source>
        <translation>%1 түбіртегі көшірме ретінде қайта басылды.</translation>
    </message>
    <message>
        <source>Not printed: %1</source>
        <translation>Басылмады: %1</translation>
    </message>
    <message>
        <source>Not now: a customer's payment is in progress.</source>
        <translation>Қазір болмайды: клиенттің төлемі жүріп жатыр.</translation>
    </message>
    <message>
        <source>No receipt printer is configured.</source>
        <translation>Түбіртек принтері бапталмаған.</translation>
    </message>
    <message>
        <source>No receipt with number %1.</source>
        <translation>%1 нөмірлі түбіртек жоқ.</translation>
    </message>
    <message>
        <source>The log goes to the terminal: no log file is configured.</source>
        <translation>Журнал терминалға шығады: журнал файлы бапталмаған.</translation>
    </message>
    <message>
        <source>No log file yet at %1</source>
        <translation>%1 жолында журнал файлы әлі жоқ</translation>
    </message>
    <message>
        <source>The log file cannot be read: %1</source>
        <translation>Журнал файлын оқу мүмкін емес: %1</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Күйі</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>Принтер</translation>
    </message>
    <message>
        <source>Note test</source>
        <translation>Купюра сынағы</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Журнал</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>Қайта іске қосу</translation>
    </message>
    <message>
        <source>Printer: %1</source>
        <translation>Принтер: %1</translation>
    </message>
    <message>
        <source>Print a test page</source>
        <translation>Сынақ бетін басу</translation>
    </message>
    <message>
        <source>Number of the receipt to print again</source>
        <translation>Қайта басылатын түбіртек нөмірі</translation>
    </message>
    <message>
        <source>Reprint</source>
        <translation>Қайта басу</translation>
    </message>
    <message>
        <source>Insert notes one by one: each is recognised and given back, nothing is kept.</source>
        <translation>Купюраларды бір-бірден салыңыз: әрқайсысы танылып, қайтарылады, ештеңе сақталмайды.</translation>
    </message>
    <message>
        <source>Stop the test</source>
        <translation>Сынақты тоқтату</translation>
    </message>
    <message>
        <source>Start the test</source>
        <translation>Сынақты бастау</translation>
    </message>
    <message>
        <source>A customer's session is open: the test can start when it ends.</source>
        <translation>Клиенттің сеансы ашық: сынақты ол аяқталғаннан кейін бастауға болады.</translation>
    </message>
    <message>
        <source>Recognised: %1</source>
        <translation>Танылды: %1</translation>
    </message>
    <message>
        <source>no banknote acceptor is configured</source>
        <translation>купюра қабылдағыш бапталмаған</translation>
    </message>
    <message>
        <source>not connected: check its power and cable</source>
        <translation>қосылмаған: қуаты мен кабелін тексеріңіз</translation>
    </message>
    <message>
        <source>working</source>
        <translation>жұмыс істеп тұр</translation>
    </message>
    <message>
        <source>jammed: open it and take out the stuck note</source>
        <translation>купюра кептеліп қалды: ашып, кептелген купюраны алыңыз</translation>
    </message>
    <message>
        <source>the cassette is full: collect the cash</source>
        <translation>кассета толы: инкассация жасаңыз</translation>
    </message>
    <message>
        <source>the cassette is out: put it back</source>
        <translation>кассета шығарылған: орнына салыңыз</translation>
    </message>
    <message>
        <source>a tampering attempt was detected: check the note path</source>
        <translation>алаяқтық әрекеті анықталды: купюра жолын тексеріңіз</translation>
    </message>
    <message>
        <source>failed: switch it off and on, then see the log</source>
        <translation>ақаулық: өшіріп-қосыңыз, содан кейін журналды қараңыз</translation>
    </message>
    <message>
        <source>reports a state this menu does not know: see the log</source>
        <translation>мәзірге белгісіз күй хабарлайды: журналды қараңыз</translation>
    </message>
    <message>
        <source>enough</source>
        <translation>жеткілікті</translation>
    </message>
    <message>
        <source>near its end: put in a new roll soon</source>
        <translation>таусылуға жақын: жақында жаңа орам салыңыз</translation>
    </message>
    <message>
        <source>none left: load a paper roll</source>
        <translation>таусылды: қағаз орамын салыңыз</translation>
    </message>
    <message>
        <source>no printer</source>
        <translation>принтер жоқ</translation>
    </message>
    <message>
        <source>unknown: the printer does not say</source>
        <translation>белгісіз: принтер хабарламайды</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>қосылған</translation>
    </message>
    <message>
        <source>not connected: the ledger refuses this terminal</source>
        <translation>қосылмаған: есеп сервері бұл терминалды қабылдамайды</translation>
    </message>
    <message>
        <source>not connected: the secure connection failed</source>
        <translation>қосылмаған: қорғалған байланыс орнатылмады</translation>
    </message>
    <message>
        <source>not connected: the answers are not signed by the ledger</source>
        <translation>қосылмаған: жауаптарға есеп сервері қол қоймаған</translation>
    </message>
    <message>
        <source>no ledger is configured</source>
        <translation>есеп сервері бапталмаған</translation>
    </message>
    <message>
        <source>not connected: the ledger does not answer</source>
        <translation>қосылмаған: есеп сервері жауап бермейді</translation>
    </message>
    <message>
        <source>Taking payments.</source>
        <translation>Төлемдер қабылданып жатыр.</translation>
    </message>
    <message>
        <source>the banknote acceptor is not connected</source>
        <translation>купюра қабылдағыш қосылмаған</translation>
    </message>
    <message>
        <source>the banknote acceptor is jammed</source>
        <translation>купюра қабылдағышта купюра кептелді</translation>
    </message>
    <message>
        <source>the banknote acceptor failed</source>
        <translation>купюра қабылдағыш істен шықты</translation>
    </message>
    <message>
        <source>the cassette is out</source>
        <translation>кассета шығарылған</translation>
    </message>
    <message>
        <source>the cassette is full</source>
        <translation>кассета толы</translation>
    </message>
    <message>
        <source>the printer cannot print</source>
        <translation>принтер басып шығара алмайды</translation>
    </message>
    <message>
        <source>the kiosk's database failed</source>
        <translation>терминалдың дерекқорында ақаулық</translation>
    </message>
    <message>
        <source>no ledger connection for too long</source>
        <translation>есеп серверімен байланыс тым ұзақ уақыт жоқ</translation>
    </message>
    <message>
        <source>the kiosk is stopping</source>
        <translation>терминал тоқтап жатыр</translation>
    </message>
    <message>
        <source>a technical fault</source>
        <translation>техникалық ақаулық</translation>
    </message>
    <message>
        <source>Payments paused: %1.</source>
        <translation>Төлемдер тоқтатылды: %1.</translation>
    </message>
    <message>
        <source>acceptor disconnected</source>
        <translation>қабылдағыш ажыратылды</translation>
    </message>
    <message>
        <source>acceptor jammed</source>
        <translation>қабылдағышта купюра кептелді</translation>
    </message>
    <message>
        <source>acceptor failed</source>
        <translation>қабылдағыш істен шықты</translation>
    </message>
    <message>
        <source>cassette taken out</source>
        <translation>кассета шығарылды</translation>
    </message>
    <message>
        <source>cassette full</source>
        <translation>кассета толды</translation>
    </message>
    <message>
        <source>acceptor fault cleared</source>
        <translation>қабылдағыштың ақаулығы жойылды</translation>
    </message>
    <message>
        <source>acceptor connected again</source>
        <translation>қабылдағыш қайта қосылды</translation>
    </message>
    <message>
        <source>cassette put back</source>
        <translation>кассета орнына салынды</translation>
    </message>
    <message>
        <source>a note was rejected</source>
        <translation>купюра қабылданбады</translation>
    </message>
    <message>
        <source>a note's stacking was not confirmed at start-up</source>
        <translation>іске қосылғанда купюраның кассетаға түскені расталмады</translation>
    </message>
    <message>
        <source>cash found without an account at start-up</source>
        <translation>іске қосылғанда шотсыз ақша табылды</translation>
    </message>
    <message>
        <source>a payment in an impossible state at start-up</source>
        <translation>іске қосылғанда мүмкін емес күйдегі төлем табылды</translation>
    </message>
    <message>
        <source>device event: %1</source>
        <translation>құрылғы оқиғасы: %1</translation>
    </message>
    <message>
        <source>Banknote acceptor: %1</source>
        <translation>Купюра қабылдағыш: %1</translation>
    </message>
    <message>
        <source>Model, serial and firmware: %1</source>
        <translation>Үлгісі, сериялық нөмірі және бағдарламасы: %1</translation>
    </message>
    <message>
        <source>Unencrypted replies refused on the acceptor's cable: %1 (a device may be spliced into it)</source>
        <translation>Қабылдағыш кабеліндегі шифрланбаған жауаптар қабылданбады: %1 (кабельге бөгде құрылғы қосылған болуы мүмкін)</translation>
    </message>
    <message>
        <source>Paper: %1</source>
        <translation>Қағаз: %1</translation>
    </message>
    <message>
        <source>Ledger: %1</source>
        <translation>Есеп сервері: %1</translation>
    </message>
    <message>
        <source>Nothing is waiting to be sent to the ledger.</source>
        <translation>Есеп серверіне жіберуді күтіп тұрған ештеңе жоқ.</translation>
    </message>
    <message>
        <source>Waiting to be sent to the ledger: %2 (records: %1); the oldest for %3 min.</source>
        <translation>Есеп серверіне жіберуді күтуде: %2 (жазба саны: %1); ең ескісі %3 минут күтіп тұр.</translation>
    </message>
    <message>
        <source>In the cassette: %2 (notes: %1)</source>
        <translation>Кассетада: %2 (купюра саны: %1)</translation>
    </message>
    <message>
        <source>Payments today: %1</source>
        <translation>Бүгінгі төлемдер: %1</translation>
    </message>
    <message>
        <source>Terminal %1, technician %2</source>
        <translation>Терминал %1, техник %2</translation>
    </message>
    <message>
        <source>Latest device events</source>
        <translation>Құрылғылардың соңғы оқиғалары</translation>
    </message>
    <message>
        <source>No device events recorded.</source>
        <translation>Құрылғы оқиғалары тіркелмеген.</translation>
    </message>
    <message>
        <source>Cash collected</source>
        <translation>Инкассация жасалды</translation>
    </message>
    <message>
        <source>Type the amount you counted, in tenge</source>
        <translation>Санаған сомаңызды теңгемен теріңіз</translation>
    </message>
    <message>
        <source>Check the count before collecting</source>
        <translation>Инкассация алдында санағанды тексеріңіз</translation>
    </message>
    <message>
        <source>Collect cash: what the kiosk recorded</source>
        <translation>Инкассация: терминал тіркегені</translation>
    </message>
    <message>
        <source>Not now: a customer's payment is in progress. Try again when it ends.</source>
        <translation>Қазір емес: клиенттің төлемі жүріп жатыр. Ол аяқталғанда қайталаңыз.</translation>
    </message>
    <message>
        <source>The collection failed: nothing was collected; see the kiosk log.</source>
        <translation>Инкассация орындалмады: ештеңе алынбады; терминал журналын қараңыз.</translation>
    </message>
    <message>
        <source>%1 × %2 = %3</source>
        <translation>%1 × %2 = %3</translation>
    </message>
    <message>
        <source>Recorded: %2 (notes: %1)</source>
        <translation>Тіркелгені: %2 (купюра саны: %1)</translation>
    </message>
    <message>
        <source>No notes since the kiosk was set up.</source>
        <translation>Терминал орнатылғаннан бері купюра жоқ.</translation>
    </message>
    <message>
        <source>Since the last collection on %1</source>
        <translation>Соңғы инкассациядан бері (%1)</translation>
    </message>
    <message>
        <source>Since the first note on %1 (no collection before)</source>
        <translation>Алғашқы купюрадан бері (%1; бұған дейін инкассация болмаған)</translation>
    </message>
    <message>
        <source>Cassette: %1</source>
        <translation>Кассета: %1</translation>
    </message>
    <message>
        <source>not reported by the device</source>
        <translation>құрылғы хабарламайды</translation>
    </message>
    <message>
        <source>Recorded by the kiosk: %1</source>
        <translation>Терминал тіркегені: %1</translation>
    </message>
    <message>
        <source>Counted by you: %1</source>
        <translation>Сіз санағаныңыз: %1</translation>
    </message>
    <message>
        <source>Difference: none</source>
        <translation>Айырма жоқ</translation>
    </message>
    <message>
        <source>Difference: %1</source>
        <translation>Айырма: %1</translation>
    </message>
    <message>
        <source>The count and the difference go on the encashment receipt and into the log.</source>
        <translation>Санақ пен айырма инкассация түбіртегіне және журналға жазылады.</translation>
    </message>
    <message>
        <source>Encashment %1: %2</source>
        <translation>Инкассация %1: %2</translation>
    </message>
    <message>
        <source>the receipt is printed.</source>
        <translation>түбіртек басып шығарылды.</translation>
    </message>
    <message>
        <source>the receipt is not printed (%1).</source>
        <translation>түбіртек басып шығарылмады (%1).</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Аяқтау</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Артқа</translation>
    </message>
    <message>
        <source>Count the cash</source>
        <translation>Ақшаны санау</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Тексеру</translation>
    </message>
    <message>
        <source>Collect</source>
        <translation>Инкассациялау</translation>
    </message>
    <message>
        <source>Restart the kiosk program now?</source>
        <translation>Терминал бағдарламасын қазір қайта іске қосу керек пе?</translation>
    </message>
    <message>
        <source>Exit the kiosk program now? Customers cannot pay until it is started again.</source>
        <translation>Терминал бағдарламасын қазір жабу керек пе? Ол қайта іске қосылғанша клиенттер төлей алмайды.</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Жоқ</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Иә</translation>
    </message>
    <message>
        <source>acceptor switched on</source>
        <translation>қабылдағыш қосылды</translation>
    </message>
    <message>
        <source>a tampering attempt</source>
        <translation>алаяқтық әрекеті</translation>
    </message>
    <message>
        <source>a note's stacking reported twice (counted once)</source>
        <translation>купюраның кассетаға түскені екі рет хабарланды (бір рет есептелді)</translation>
    </message>
    <message>
        <source>the stacked amount differs from the note taken</source>
        <translation>кассетаға түскен сома қабылданған купюрадан өзгеше</translation>
    </message>
    <message>
        <source>a note given back</source>
        <translation>купюра қайтарылды</translation>
    </message>
    <message>
        <source>a note recognised in the note test</source>
        <translation>купюра сынағында купюра танылды</translation>
    </message>
    <message>
        <source>an unknown note found in the cassette</source>
        <translation>кассетадан белгісіз купюра табылды</translation>
    </message>
    <message>
        <source>a note's stacking was settled</source>
        <translation>купюраның кассетаға түсуі анықталды</translation>
    </message>
    <message>
        <source>acceptor error</source>
        <translation>қабылдағыш қатесі</translation>
    </message>
    <message>
        <source>Nothing to collect: no note was taken since the last collection.</source>
        <translation>Инкассациялайтын ештеңе жоқ: соңғы инкассациядан бері бірде-бір купюра қабылданбаған.</translation>
    </message>
</context>
<context>
    <name>StepIndicator</name>
    <message>
        <source>Service</source>
        <translation>Қызмет</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Нөмір</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>Ақша</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>Түбіртек</translation>
    </message>
</context>
<context>
    <name>StatusScreen</name>
    <message>
        <source>Enter the operation number from the receipt (at least its first 8 characters)</source>
        <translation>Түбіртектегі операция нөмірін енгізіңіз (кемінде алғашқы 8 таңбасын)</translation>
    </message>
    <message>
        <source>Operation No.</source>
        <translation>Операция №</translation>
    </message>
    <message>
        <source>Receipt No.</source>
        <translation>Түбіртек №</translation>
    </message>
    <message>
        <source>Print the receipt</source>
        <translation>Түбіртекті басып шығару</translation>
    </message>
    <message>
        <source>Payment status</source>
        <translation>Төлем күйі</translation>
    </message>
    <message>
        <source>Enter the receipt number</source>
        <translation>Түбіртек нөмірін енгізіңіз</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Артқа</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Тексеру</translation>
    </message>
    <message>
        <source>Enter the whole operation number from the receipt or the end-of-payment screen</source>
        <translation>Түбіртектегі немесе төлем соңындағы экрандағы операция нөмірін толық енгізіңіз</translation>
    </message>
    <message>
        <source>No. %1: now enter the amount you inserted, in tenge</source>
        <translation>№ %1: енді салған сомаңызды теңгемен енгізіңіз</translation>
    </message>
</context>
<context>
    <name>ThanksScreen</name>
    <message>
        <source>Thank you!</source>
        <translation>Рақмет!</translation>
    </message>
    <message>
        <source>Receipt No. %1</source>
        <translation>Түбіртек № %1</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Аяқтау</translation>
    </message>
    <message>
        <source>Operation No. %1</source>
        <translation>Операция № %1</translation>
    </message>
    <message>
        <source>Keep the operation number: with it the status screen shows this payment and prints its receipt.</source>
        <translation>Операция нөмірін сақтаңыз: ол арқылы төлем күйі экраны осы төлемді көрсетеді және түбіртегін басып шығарады.</translation>
    </message>
    <message>
        <source>Scan the code with your phone to check this payment later.</source>
        <translation>Кейін осы төлемді тексеру үшін кодты телефоныңызбен сканерлеңіз.</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Шот / нөмір</translation>
    </message>
    <message>
        <source>Commission</source>
        <translation>Комиссия</translation>
    </message>
    <message>
        <source>Inserted</source>
        <translation>Салынды</translation>
    </message>
    <message>
        <source>To be credited</source>
        <translation>Есепке алынатын сома</translation>
    </message>
    <message>
        <source>Held for refund</source>
        <translation>Қайтаруға ұсталды</translation>
    </message>
    <message>
        <source>Credited</source>
        <translation>Есепке алынды</translation>
    </message>
</context>
</TS>
