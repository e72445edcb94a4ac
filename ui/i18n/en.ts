<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="en_US">
<context>
    <name>CashScreen</name>
    <message>
        <source>Insert banknotes one at a time</source>
        <translation>Insert banknotes one at a time</translation>
    </message>
    <message>
        <source>Inserted</source>
        <translation>Inserted</translation>
    </message>
    <message>
        <source>Commission</source>
        <translation>Commission</translation>
    </message>
    <message>
        <source>To be credited</source>
        <translation>To be credited</translation>
    </message>
    <message>
        <source>Minimum payment: %1</source>
        <translation>Minimum payment: %1</translation>
    </message>
    <message>
        <source>You can insert up to %1 more</source>
        <translation>You can insert up to %1 more</translation>
    </message>
    <message>
        <source>Accepted notes: %1</source>
        <translation>Accepted notes: %1</translation>
    </message>
    <message>
        <source>No more notes can be accepted</source>
        <translation>No more notes can be accepted</translation>
    </message>
    <message>
        <source>Counting the note…</source>
        <translation>Counting the note…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Pay</source>
        <translation>Pay</translation>
    </message>
</context>
<context>
    <name>CatalogScreen</name>
    <message>
        <source>Mobile phone</source>
        <translation>Mobile phone</translation>
    </message>
    <message>
        <source>E-wallets</source>
        <translation>E-wallets</translation>
    </message>
    <message>
        <source>Choose where the money goes</source>
        <translation>Choose where the money goes</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Back</translation>
    </message>
</context>
<context>
    <name>CheckedScreen</name>
    <message>
        <source>Pay without a receipt</source>
        <translation>Pay without a receipt</translation>
    </message>
    <message>
        <source>Recipient: %1</source>
        <translation>Recipient: %1</translation>
    </message>
    <message>
        <source>The number could not be checked online: it was checked by its format only.</source>
        <translation>The number could not be checked online: it was checked by its format only.</translation>
    </message>
    <message>
        <source>Minimum payment: %1</source>
        <translation>Minimum payment: %1</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Change</translation>
    </message>
    <message>
        <source>Insert cash</source>
        <translation>Insert cash</translation>
    </message>
</context>
<context>
    <name>ConfirmScreen</name>
    <message>
        <source>Is this number right?</source>
        <translation>Is this number right?</translation>
    </message>
    <message>
        <source>Another operator</source>
        <translation>Another operator</translation>
    </message>
    <message>
        <source>Checking the number…</source>
        <translation>Checking the number…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Change</translation>
    </message>
    <message>
        <source>Correct</source>
        <translation>Correct</translation>
    </message>
</context>
<context>
    <name>EntryScreen</name>
    <message>
        <source>Enter the purse number</source>
        <translation>Enter the purse number</translation>
    </message>
    <message>
        <source>Enter the phone number</source>
        <translation>Enter the phone number</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Next</translation>
    </message>
</context>
<context>
    <name>Footer</name>
    <message>
        <source>Terminal %1</source>
        <translation>Terminal %1</translation>
    </message>
    <message>
        <source>Support: %1</source>
        <translation>Support: %1</translation>
    </message>
</context>
<context>
    <name>IdleScreen</name>
    <message>
        <source>Top up a wallet or a phone</source>
        <translation>Top up a wallet or a phone</translation>
    </message>
    <message>
        <source>Cash only. No change is given: everything you insert is paid in, less the commission shown on the service.</source>
        <translation>Cash only. No change is given: everything you insert is paid in, less the commission shown on the service.</translation>
    </message>
    <message>
        <source>E-wallets</source>
        <translation>E-wallets</translation>
    </message>
    <message>
        <source>Mobile phone</source>
        <translation>Mobile phone</translation>
    </message>
    <message>
        <source>Payment status</source>
        <translation>Payment status</translation>
    </message>
</context>
<context>
    <name>InfoScreen</name>
    <message>
        <source>About this terminal</source>
        <translation>About this terminal</translation>
    </message>
    <message>
        <source>Terminal number: %1</source>
        <translation>Terminal number: %1</translation>
    </message>
    <message>
        <source>Address: %1</source>
        <translation>Address: %1</translation>
    </message>
    <message>
        <source>Payment agent: %1</source>
        <translation>Payment agent: %1</translation>
    </message>
    <message>
        <source>BIN: %1</source>
        <translation>BIN: %1</translation>
    </message>
    <message>
        <source>Support: %1</source>
        <translation>Support: %1</translation>
    </message>
    <message>
        <source>Lost your receipt? Tell support the terminal number and the time of payment.</source>
        <translation>Lost your receipt? Tell support the terminal number and the time of payment.</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Back</translation>
    </message>
</context>
<context>
    <name>KioskViewModel</name>
    <message>
        <source>The 8 you typed first is read as +7.</source>
        <translation>The 8 you typed first is read as +7.</translation>
    </message>
    <message>
        <source>The 7 you typed first is read as +7.</source>
        <translation>The 7 you typed first is read as +7.</translation>
    </message>
    <message>
        <source>The number is complete: +7 and 10 digits. To change it, press ⌫ or C.</source>
        <translation>The number is complete: +7 and 10 digits. To change it, press ⌫ or C.</translation>
    </message>
    <message>
        <source>The purse number is complete: K and 12 digits. To change it, press ⌫ or C.</source>
        <translation>The purse number is complete: K and 12 digits. To change it, press ⌫ or C.</translation>
    </message>
    <message>
        <source>Press «Another operator» to choose the number's operator, or «Correct» to go on.</source>
        <translation>Press “Another operator” to choose the number’s operator, or “Correct” to go on.</translation>
    </message>
    <message>
        <source>Several payments start like this: type more of the operation number.</source>
        <translation>Several payments start like this: type more of the operation number.</translation>
    </message>
    <message>
        <source>Type at least %1 characters of the operation number.</source>
        <translation>Type at least %1 characters of the operation number.</translation>
    </message>
    <message>
        <source>No payment with this operation number at this terminal.</source>
        <translation>No payment with this operation number at this terminal.</translation>
    </message>
    <message>
        <source>The receipt cannot be printed now. Please try later or call support.</source>
        <translation>The receipt cannot be printed now. Please try later or call support.</translation>
    </message>
    <message>
        <source>Your receipt is printed.</source>
        <translation>Your receipt is printed.</translation>
    </message>
    <message>
        <source>You can still pay without a receipt: the payment is recorded, and the next screen shows its receipt number to check it later.</source>
        <translation>You can still pay without a receipt: the payment is recorded, and the next screen shows its receipt number to check it later.</translation>
    </message>
    <message>
        <source>The receipt printer is not working.</source>
        <translation>The receipt printer is not working.</translation>
    </message>
    <message>
        <source>The receipt printer is out of paper.</source>
        <translation>The receipt printer is out of paper.</translation>
    </message>
    <message>
        <source>the most this service takes in one payment</source>
        <translation>the most this service takes in one payment</translation>
    </message>
    <message>
        <source>the wallet's limit for one payment</source>
        <translation>the wallet's limit for one payment</translation>
    </message>
    <message>
        <source>the wallet's balance limit</source>
        <translation>the wallet's balance limit</translation>
    </message>
    <message>
        <source>the wallet's daily limit</source>
        <translation>the wallet's daily limit</translation>
    </message>
    <message>
        <source>the limit for payments while the network is down</source>
        <translation>the limit for payments while the network is down</translation>
    </message>
    <message>
        <source>This note is not accepted now: see the accepted notes.</source>
        <translation>This note is not accepted now: see the accepted notes.</translation>
    </message>
    <message>
        <source>The note was not recognised. Please try another note.</source>
        <translation>The note was not recognised. Please try another note.</translation>
    </message>
    <message>
        <source>The note was returned: over the maximum for this service.</source>
        <translation>The note was returned: over the maximum for this service.</translation>
    </message>
    <message>
        <source>The note was returned: over the wallet limit.</source>
        <translation>The note was returned: over the wallet limit.</translation>
    </message>
    <message>
        <source>The note was returned: over the wallet's daily limit.</source>
        <translation>The note was returned: over the wallet's daily limit.</translation>
    </message>
    <message>
        <source>The note was returned: over the offline limit.</source>
        <translation>The note was returned: over the offline limit.</translation>
    </message>
    <message>
        <source>The note was returned: the kiosk is not taking cash now.</source>
        <translation>The note was returned: the kiosk is not taking cash now.</translation>
    </message>
    <message>
        <source>The note was returned: the kiosk is out of service.</source>
        <translation>The note was returned: the kiosk is out of service.</translation>
    </message>
    <message>
        <source>The note was returned by the acceptor.</source>
        <translation>The note was returned by the acceptor.</translation>
    </message>
    <message>
        <source>The note was returned.</source>
        <translation>The note was returned.</translation>
    </message>
    <message>
        <source>A technical fault: payments are paused.</source>
        <translation>A technical fault: payments are paused.</translation>
    </message>
    <message>
        <source>No connection to the payment server for too long.</source>
        <translation>No connection to the payment server for too long.</translation>
    </message>
    <message>
        <source>The banknote acceptor is not working.</source>
        <translation>The banknote acceptor is not working.</translation>
    </message>
    <message>
        <source>The banknote acceptor is jammed.</source>
        <translation>The banknote acceptor is jammed.</translation>
    </message>
    <message>
        <source>The kiosk is being serviced.</source>
        <translation>The kiosk is being serviced.</translation>
    </message>
    <message>
        <source>The cash box is full.</source>
        <translation>The cash box is full.</translation>
    </message>
    <message>
        <source>The kiosk is temporarily out of service.</source>
        <translation>The kiosk is temporarily out of service.</translation>
    </message>
    <message>
        <source>Planned maintenance: the kiosk is temporarily out of service.</source>
        <translation>Planned maintenance: the kiosk is temporarily out of service.</translation>
    </message>
    <message>
        <source>Planned maintenance from %1: payments will not be possible.</source>
        <translation>Planned maintenance from %1: payments will not be possible.</translation>
    </message>
    <message>
        <source>No connection to the payment server. You can still pay: the money is credited when the connection is back. Numbers cannot be checked now.</source>
        <translation>No connection to the payment server. You can still pay: the money is credited when the connection is back. Numbers cannot be checked now.</translation>
    </message>
    <message>
        <source>No wallet with this number was found. Please check the number.</source>
        <translation>No wallet with this number was found. Please check the number.</translation>
    </message>
    <message>
        <source>Payments to this wallet are not possible. Please contact the wallet's operator.</source>
        <translation>Payments to this wallet are not possible. Please contact the wallet's operator.</translation>
    </message>
    <message>
        <source>This wallet is inactive. Please contact the wallet's operator.</source>
        <translation>This wallet is inactive. Please contact the wallet's operator.</translation>
    </message>
    <message>
        <source>This wallet cannot receive more money now: its limit is reached.</source>
        <translation>This wallet cannot receive more money now: its limit is reached.</translation>
    </message>
    <message>
        <source>This number cannot receive a payment now. Please check it. Code: %1</source>
        <translation>This number cannot receive a payment now. Please check it. Code: %1</translation>
    </message>
    <message>
        <source>Take your receipt: it is the proof of payment.</source>
        <translation>Take your receipt: it is the proof of payment.</translation>
    </message>
    <message>
        <source>The receipt could not be printed. Keep the receipt number: it is the proof.</source>
        <translation>The receipt could not be printed. Keep the receipt number: it is the proof.</translation>
    </message>
    <message>
        <source>No payment with this receipt number at this terminal.</source>
        <translation>No payment with this receipt number at this terminal.</translation>
    </message>
    <message>
        <source>Something went wrong. Please try again or call support.</source>
        <translation>Something went wrong. Please try again or call support.</translation>
    </message>
    <message>
        <source>Locked after too many wrong PINs. Try again in %1 min.</source>
        <translation>Locked after too many wrong PINs. Try again in %1 min.</translation>
    </message>
    <message>
        <source>Wrong number or PIN. Tries left: %1</source>
        <translation>Wrong number or PIN. Tries left: %1</translation>
    </message>
    <message>
        <source>No technician is registered: run 'kiosk service add-technician NAME'.</source>
        <translation>No technician is registered: run 'kiosk service add-technician NAME'.</translation>
    </message>
    <message>
        <source>The shared service PIN no longer opens the menu: register each technician with 'kiosk service add-technician NAME'.</source>
        <translation>The shared service PIN no longer opens the menu: register each technician with 'kiosk service add-technician NAME'.</translation>
    </message>
    <message>
        <source>The technician file is damaged: see the kiosk log.</source>
        <translation>The technician file is damaged: see the kiosk log.</translation>
    </message>
    <message>
        <source>The note was returned: this wallet cannot take more now.</source>
        <translation>The note was returned: this wallet cannot take more now.</translation>
    </message>
    <message>
        <source>The payment server is busy. Please try again in a minute.</source>
        <translation>The payment server is busy. Please try again in a minute.</translation>
    </message>
    <message>
        <source>This wallet cannot take more now.</source>
        <translation>This wallet cannot take more now.</translation>
    </message>
    <message>
        <source>Too many numbers were not found. Please try again in %1 s.</source>
        <translation>Too many numbers were not found. Please try again in %1 s.</translation>
    </message>
    <message>
        <source>Accepted — being credited. This usually takes a minute, sometimes up to 30 minutes.</source>
        <translation>Accepted — being credited. This usually takes a minute, sometimes up to 30 minutes.</translation>
    </message>
    <message>
        <source>Credited: the money is on the account.</source>
        <translation>Credited: the money is on the account.</translation>
    </message>
    <message>
        <source>Not credited: the amount is below the minimum payment of %1.</source>
        <translation>Not credited: the amount is below the minimum payment of %1.</translation>
    </message>
    <message>
        <source>Not credited: the payment was not accepted by the recipient.</source>
        <translation>Not credited: the payment was not accepted by the recipient.</translation>
    </message>
    <message>
        <source>Press Pay to credit them.</source>
        <translation>Press Pay to credit them.</translation>
    </message>
    <message>
        <source>Terminal %1. Support: %2</source>
        <translation>Terminal %1. Support: %2</translation>
    </message>
    <message>
        <source>The money is held for a refund. Keep the receipt and the operation number and call support: %1</source>
        <translation>The money is held for a refund. Keep the receipt and the operation number and call support: %1</translation>
    </message>
    <message>
        <source>The payment completes to this account in a moment.</source>
        <translation>The payment completes to this account in a moment.</translation>
    </message>
    <message>
        <source>Your %1 are recorded and safe.</source>
        <translation>Your %1 are recorded and safe.</translation>
    </message>
    <message>
        <source>No commission</source>
        <translation>No commission</translation>
    </message>
    <message>
        <source>Commission: %1</source>
        <translation>Commission: %1</translation>
    </message>
    <message>
        <source>Commission: %1; less from %2</source>
        <translation>Commission: %1; less from %2</translation>
    </message>
    <message>
        <source>Up to %1 more can be credited to the account</source>
        <translation>Up to %1 more can be credited to the account</translation>
    </message>
    <message>
        <source>The limit is reached: press Pay.</source>
        <translation>The limit is reached: press Pay.</translation>
    </message>
    <message>
        <source>The limit for this payment is reached.</source>
        <translation>The limit for this payment is reached.</translation>
    </message>
    <message>
        <source>Enter the purse number</source>
        <translation>Enter the purse number</translation>
    </message>
    <message>
        <source>Enter the phone number</source>
        <translation>Enter the phone number</translation>
    </message>
    <message>
        <source>Change is not given; money inserted cannot be returned.</source>
        <translation>Change is not given; money inserted cannot be returned.</translation>
    </message>
    <message>
        <source>Wait: the note is being counted.</source>
        <translation>Wait: the note is being counted.</translation>
    </message>
    <message>
        <source>Insert a note to pay.</source>
        <translation>Insert a note to pay.</translation>
    </message>
    <message>
        <source>Pay works from the minimum payment of %1: insert more.</source>
        <translation>Pay works from the minimum payment of %1: insert more.</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Your payment will be completed and the receipt printed in</source>
        <translation>Your payment will be completed and the receipt printed in</translation>
    </message>
    <message>
        <source>Are you still there?</source>
        <translation>Are you still there?</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>Yes, continue</source>
        <translation>Yes, continue</translation>
    </message>
    <message>
        <source>Large text</source>
        <translation>Large text</translation>
    </message>
</context>
<context>
    <name>OutOfServiceScreen</name>
    <message>
        <source>Temporarily out of service</source>
        <translation>Temporarily out of service</translation>
    </message>
    <message>
        <source>Payment status</source>
        <translation>Payment status</translation>
    </message>
    <message>
        <source>Please do not insert cash.</source>
        <translation>Please do not insert cash.</translation>
    </message>
</context>
<context>
    <name>PrintingScreen</name>
    <message>
        <source>Completing the payment and printing the receipt…</source>
        <translation>Completing the payment and printing the receipt…</translation>
    </message>
</context>
<context>
    <name>ServiceScreen</name>
    <message>
        <source>Service PIN</source>
        <translation>Service PIN</translation>
    </message>
    <message>
        <source>Technician number</source>
        <translation>Technician number</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>Enter</translation>
    </message>
    <message>
        <source>Service menu</source>
        <translation>Service menu</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Collect cash</source>
        <translation>Collect cash</translation>
    </message>
    <message>
        <source>Send now</source>
        <translation>Send now</translation>
    </message>
    <message>
        <source>Back to customers</source>
        <translation>Back to customers</translation>
    </message>
    <message>
        <source>Exit kiosk</source>
        <translation>Exit kiosk</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>ready</translation>
    </message>
    <message>
        <source>paper near its end: put in a new roll soon</source>
        <translation>paper near its end: put in a new roll soon</translation>
    </message>
    <message>
        <source>out of paper: load a paper roll</source>
        <translation>out of paper: load a paper roll</translation>
    </message>
    <message>
        <source>the printer cover is open: close it</source>
        <translation>the printer cover is open: close it</translation>
    </message>
    <message>
        <source>the printer is offline: check its panel and the paper feed</source>
        <translation>the printer is offline: check its panel and the paper feed</translation>
    </message>
    <message>
        <source>printer error: clear the jam or switch the printer off and on</source>
        <translation>printer error: clear the jam or switch the printer off and on</translation>
    </message>
    <message>
        <source>the printer does not answer: check its power and cable</source>
        <translation>the printer does not answer: check its power and cable</translation>
    </message>
    <message>
        <source>the printer cannot report its state: printing is not confirmed</source>
        <translation>the printer cannot report its state: printing is not confirmed</translation>
    </message>
    <message>
        <source>Test page printed.</source>
        <translation>Test page printed.</translation>
    </message>
    <message>
        <source>Receipt %1 printed again as a duplicate.</source>
        <translation>Receipt %1 printed again as a duplicate.</translation>
    </message>
    <message>
        <source>Not printed: %1</source>
        <translation>Not printed: %1</translation>
    </message>
    <message>
        <source>Not now: a customer's payment is in progress.</source>
        <translation>Not now: a customer's payment is in progress.</translation>
    </message>
    <message>
        <source>No receipt printer is configured.</source>
        <translation>No receipt printer is configured.</translation>
    </message>
    <message>
        <source>No receipt with number %1.</source>
        <translation>No receipt with number %1.</translation>
    </message>
    <message>
        <source>The log goes to the terminal: no log file is configured.</source>
        <translation>The log goes to the terminal: no log file is configured.</translation>
    </message>
    <message>
        <source>No log file yet at %1</source>
        <translation>No log file yet at %1</translation>
    </message>
    <message>
        <source>The log file cannot be read: %1</source>
        <translation>The log file cannot be read: %1</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>Printer</translation>
    </message>
    <message>
        <source>Note test</source>
        <translation>Note test</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Log</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>Restart</translation>
    </message>
    <message>
        <source>Printer: %1</source>
        <translation>Printer: %1</translation>
    </message>
    <message>
        <source>Print a test page</source>
        <translation>Print a test page</translation>
    </message>
    <message>
        <source>Number of the receipt to print again</source>
        <translation>Number of the receipt to print again</translation>
    </message>
    <message>
        <source>Reprint</source>
        <translation>Reprint</translation>
    </message>
    <message>
        <source>Insert notes one by one: each is recognised and given back, nothing is kept.</source>
        <translation>Insert notes one by one: each is recognised and given back, nothing is kept.</translation>
    </message>
    <message>
        <source>Stop the test</source>
        <translation>Stop the test</translation>
    </message>
    <message>
        <source>Start the test</source>
        <translation>Start the test</translation>
    </message>
    <message>
        <source>A customer's session is open: the test can start when it ends.</source>
        <translation>A customer's session is open: the test can start when it ends.</translation>
    </message>
    <message>
        <source>Recognised: %1</source>
        <translation>Recognised: %1</translation>
    </message>
    <message>
        <source>no banknote acceptor is configured</source>
        <translation>no banknote acceptor is configured</translation>
    </message>
    <message>
        <source>not connected: check its power and cable</source>
        <translation>not connected: check its power and cable</translation>
    </message>
    <message>
        <source>working</source>
        <translation>working</translation>
    </message>
    <message>
        <source>jammed: open it and take out the stuck note</source>
        <translation>jammed: open it and take out the stuck note</translation>
    </message>
    <message>
        <source>the cassette is full: collect the cash</source>
        <translation>the cassette is full: collect the cash</translation>
    </message>
    <message>
        <source>the cassette is out: put it back</source>
        <translation>the cassette is out: put it back</translation>
    </message>
    <message>
        <source>a tampering attempt was detected: check the note path</source>
        <translation>a tampering attempt was detected: check the note path</translation>
    </message>
    <message>
        <source>failed: switch it off and on, then see the log</source>
        <translation>failed: switch it off and on, then see the log</translation>
    </message>
    <message>
        <source>reports a state this menu does not know: see the log</source>
        <translation>reports a state this menu does not know: see the log</translation>
    </message>
    <message>
        <source>enough</source>
        <translation>enough</translation>
    </message>
    <message>
        <source>near its end: put in a new roll soon</source>
        <translation>near its end: put in a new roll soon</translation>
    </message>
    <message>
        <source>none left: load a paper roll</source>
        <translation>none left: load a paper roll</translation>
    </message>
    <message>
        <source>no printer</source>
        <translation>no printer</translation>
    </message>
    <message>
        <source>unknown: the printer does not say</source>
        <translation>unknown: the printer does not say</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>connected</translation>
    </message>
    <message>
        <source>not connected: the ledger refuses this terminal</source>
        <translation>not connected: the ledger refuses this terminal</translation>
    </message>
    <message>
        <source>not connected: the secure connection failed</source>
        <translation>not connected: the secure connection failed</translation>
    </message>
    <message>
        <source>not connected: the answers are not signed by the ledger</source>
        <translation>not connected: the answers are not signed by the ledger</translation>
    </message>
    <message>
        <source>no ledger is configured</source>
        <translation>no ledger is configured</translation>
    </message>
    <message>
        <source>not connected: the ledger does not answer</source>
        <translation>not connected: the ledger does not answer</translation>
    </message>
    <message>
        <source>Taking payments.</source>
        <translation>Taking payments.</translation>
    </message>
    <message>
        <source>the banknote acceptor is not connected</source>
        <translation>the banknote acceptor is not connected</translation>
    </message>
    <message>
        <source>the banknote acceptor is jammed</source>
        <translation>the banknote acceptor is jammed</translation>
    </message>
    <message>
        <source>the banknote acceptor failed</source>
        <translation>the banknote acceptor failed</translation>
    </message>
    <message>
        <source>the cassette is out</source>
        <translation>the cassette is out</translation>
    </message>
    <message>
        <source>the cassette is full</source>
        <translation>the cassette is full</translation>
    </message>
    <message>
        <source>the printer cannot print</source>
        <translation>the printer cannot print</translation>
    </message>
    <message>
        <source>the kiosk's database failed</source>
        <translation>the kiosk's database failed</translation>
    </message>
    <message>
        <source>no ledger connection for too long</source>
        <translation>no ledger connection for too long</translation>
    </message>
    <message>
        <source>the kiosk is stopping</source>
        <translation>the kiosk is stopping</translation>
    </message>
    <message>
        <source>a technical fault</source>
        <translation>a technical fault</translation>
    </message>
    <message>
        <source>Payments paused: %1.</source>
        <translation>Payments paused: %1.</translation>
    </message>
    <message>
        <source>acceptor disconnected</source>
        <translation>acceptor disconnected</translation>
    </message>
    <message>
        <source>acceptor jammed</source>
        <translation>acceptor jammed</translation>
    </message>
    <message>
        <source>acceptor failed</source>
        <translation>acceptor failed</translation>
    </message>
    <message>
        <source>cassette taken out</source>
        <translation>cassette taken out</translation>
    </message>
    <message>
        <source>cassette full</source>
        <translation>cassette full</translation>
    </message>
    <message>
        <source>acceptor fault cleared</source>
        <translation>acceptor fault cleared</translation>
    </message>
    <message>
        <source>acceptor connected again</source>
        <translation>acceptor connected again</translation>
    </message>
    <message>
        <source>cassette put back</source>
        <translation>cassette put back</translation>
    </message>
    <message>
        <source>a note was rejected</source>
        <translation>a note was rejected</translation>
    </message>
    <message>
        <source>a note's stacking was not confirmed at start-up</source>
        <translation>a note's stacking was not confirmed at start-up</translation>
    </message>
    <message>
        <source>cash found without an account at start-up</source>
        <translation>cash found without an account at start-up</translation>
    </message>
    <message>
        <source>a payment in an impossible state at start-up</source>
        <translation>a payment in an impossible state at start-up</translation>
    </message>
    <message>
        <source>device event: %1</source>
        <translation>device event: %1</translation>
    </message>
    <message>
        <source>Banknote acceptor: %1</source>
        <translation>Banknote acceptor: %1</translation>
    </message>
    <message>
        <source>Model, serial and firmware: %1</source>
        <translation>Model, serial and firmware: %1</translation>
    </message>
    <message>
        <source>Unencrypted replies refused on the acceptor's cable: %1 (a device may be spliced into it)</source>
        <translation>Unencrypted replies refused on the acceptor's cable: %1 (a device may be spliced into it)</translation>
    </message>
    <message>
        <source>Paper: %1</source>
        <translation>Paper: %1</translation>
    </message>
    <message>
        <source>Ledger: %1</source>
        <translation>Ledger: %1</translation>
    </message>
    <message>
        <source>Nothing is waiting to be sent to the ledger.</source>
        <translation>Nothing is waiting to be sent to the ledger.</translation>
    </message>
    <message>
        <source>Waiting to be sent to the ledger: %2 (records: %1); the oldest for %3 min.</source>
        <translation>Waiting to be sent to the ledger: %2 (records: %1); the oldest for %3 min.</translation>
    </message>
    <message>
        <source>In the cassette: %2 (notes: %1)</source>
        <translation>In the cassette: %2 (notes: %1)</translation>
    </message>
    <message>
        <source>Payments today: %1</source>
        <translation>Payments today: %1</translation>
    </message>
    <message>
        <source>Terminal %1, technician %2</source>
        <translation>Terminal %1, technician %2</translation>
    </message>
    <message>
        <source>Latest device events</source>
        <translation>Latest device events</translation>
    </message>
    <message>
        <source>No device events recorded.</source>
        <translation>No device events recorded.</translation>
    </message>
    <message>
        <source>Cash collected</source>
        <translation>Cash collected</translation>
    </message>
    <message>
        <source>Type the amount you counted, in tenge</source>
        <translation>Type the amount you counted, in tenge</translation>
    </message>
    <message>
        <source>Check the count before collecting</source>
        <translation>Check the count before collecting</translation>
    </message>
    <message>
        <source>Collect cash: what the kiosk recorded</source>
        <translation>Collect cash: what the kiosk recorded</translation>
    </message>
    <message>
        <source>Not now: a customer's payment is in progress. Try again when it ends.</source>
        <translation>Not now: a customer's payment is in progress. Try again when it ends.</translation>
    </message>
    <message>
        <source>The collection failed: nothing was collected; see the kiosk log.</source>
        <translation>The collection failed: nothing was collected; see the kiosk log.</translation>
    </message>
    <message>
        <source>%1 × %2 = %3</source>
        <translation>%1 × %2 = %3</translation>
    </message>
    <message>
        <source>Recorded: %2 (notes: %1)</source>
        <translation>Recorded: %2 (notes: %1)</translation>
    </message>
    <message>
        <source>No notes since the kiosk was set up.</source>
        <translation>No notes since the kiosk was set up.</translation>
    </message>
    <message>
        <source>Since the last collection on %1</source>
        <translation>Since the last collection on %1</translation>
    </message>
    <message>
        <source>Since the first note on %1 (no collection before)</source>
        <translation>Since the first note on %1 (no collection before)</translation>
    </message>
    <message>
        <source>Cassette: %1</source>
        <translation>Cassette: %1</translation>
    </message>
    <message>
        <source>not reported by the device</source>
        <translation>not reported by the device</translation>
    </message>
    <message>
        <source>Recorded by the kiosk: %1</source>
        <translation>Recorded by the kiosk: %1</translation>
    </message>
    <message>
        <source>Counted by you: %1</source>
        <translation>Counted by you: %1</translation>
    </message>
    <message>
        <source>Difference: none</source>
        <translation>Difference: none</translation>
    </message>
    <message>
        <source>Difference: %1</source>
        <translation>Difference: %1</translation>
    </message>
    <message>
        <source>The count and the difference go on the encashment receipt and into the log.</source>
        <translation>The count and the difference go on the encashment receipt and into the log.</translation>
    </message>
    <message>
        <source>Encashment %1: %2</source>
        <translation>Encashment %1: %2</translation>
    </message>
    <message>
        <source>the receipt is printed.</source>
        <translation>the receipt is printed.</translation>
    </message>
    <message>
        <source>the receipt is not printed (%1).</source>
        <translation>the receipt is not printed (%1).</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>Count the cash</source>
        <translation>Count the cash</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>Collect</source>
        <translation>Collect</translation>
    </message>
    <message>
        <source>Restart the kiosk program now?</source>
        <translation>Restart the kiosk program now?</translation>
    </message>
    <message>
        <source>Exit the kiosk program now? Customers cannot pay until it is started again.</source>
        <translation>Exit the kiosk program now? Customers cannot pay until it is started again.</translation>
    </message>
    <message>
        <source>No</source>
        <translation>No</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>acceptor switched on</source>
        <translation>acceptor switched on</translation>
    </message>
    <message>
        <source>a tampering attempt</source>
        <translation>a tampering attempt</translation>
    </message>
    <message>
        <source>a note's stacking reported twice (counted once)</source>
        <translation>a note's stacking reported twice (counted once)</translation>
    </message>
    <message>
        <source>the stacked amount differs from the note taken</source>
        <translation>the stacked amount differs from the note taken</translation>
    </message>
    <message>
        <source>a note given back</source>
        <translation>a note given back</translation>
    </message>
    <message>
        <source>a note recognised in the note test</source>
        <translation>a note recognised in the note test</translation>
    </message>
    <message>
        <source>an unknown note found in the cassette</source>
        <translation>an unknown note found in the cassette</translation>
    </message>
    <message>
        <source>a note's stacking was settled</source>
        <translation>a note's stacking was settled</translation>
    </message>
    <message>
        <source>acceptor error</source>
        <translation>acceptor error</translation>
    </message>
    <message>
        <source>Nothing to collect: no note was taken since the last collection.</source>
        <translation>Nothing to collect: no note was taken since the last collection.</translation>
    </message>
</context>
<context>
    <name>StepIndicator</name>
    <message>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Number</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>Cash</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>Receipt</translation>
    </message>
</context>
<context>
    <name>StatusScreen</name>
    <message>
        <source>Enter the operation number from the receipt (at least its first 8 characters)</source>
        <translation>Enter the operation number from the receipt (at least its first 8 characters)</translation>
    </message>
    <message>
        <source>Operation No.</source>
        <translation>Operation No.</translation>
    </message>
    <message>
        <source>Receipt No.</source>
        <translation>Receipt No.</translation>
    </message>
    <message>
        <source>Print the receipt</source>
        <translation>Print the receipt</translation>
    </message>
    <message>
        <source>Payment status</source>
        <translation>Payment status</translation>
    </message>
    <message>
        <source>Enter the receipt number</source>
        <translation>Enter the receipt number</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>Enter the whole operation number from the receipt or the end-of-payment screen</source>
        <translation>Enter the whole operation number from the receipt or the end-of-payment screen</translation>
    </message>
    <message>
        <source>No. %1: now enter the amount you inserted, in tenge</source>
        <translation>No. %1: now enter the amount you inserted, in tenge</translation>
    </message>
</context>
<context>
    <name>ThanksScreen</name>
    <message>
        <source>Thank you!</source>
        <translation>Thank you!</translation>
    </message>
    <message>
        <source>Receipt No. %1</source>
        <translation>Receipt No. %1</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>Operation No. %1</source>
        <translation>Operation No. %1</translation>
    </message>
    <message>
        <source>Keep the operation number: with it the status screen shows this payment and prints its receipt.</source>
        <translation>Keep the operation number: with it the status screen shows this payment and prints its receipt.</translation>
    </message>
    <message>
        <source>Scan the code with your phone to check this payment later.</source>
        <translation>Scan the code with your phone to check this payment later.</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>Commission</source>
        <translation>Commission</translation>
    </message>
    <message>
        <source>Inserted</source>
        <translation>Inserted</translation>
    </message>
    <message>
        <source>To be credited</source>
        <translation>To be credited</translation>
    </message>
    <message>
        <source>Held for refund</source>
        <translation>Held for refund</translation>
    </message>
    <message>
        <source>Credited</source>
        <translation>Credited</translation>
    </message>
</context>
</TS>
