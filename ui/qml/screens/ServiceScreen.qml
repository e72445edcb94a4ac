import QtQuick
import ".."

// The technician's menu: their number and PIN first, then pages (status, printer, acceptance test, log) and
// the way out (back to customers, restart, exit). Every word the menu says is here.
Item {
    id: root
    // 1280×1024: the tabs beside the title, a narrower side column and smaller keys, so
    // the pages keep the width and height their keypads need.
    readonly property bool narrow: !window.portrait && window.width < 1600
    // Landscape: the width of a column of buttons at the side.
    readonly property int sideWidth: narrow ? 300 : 360
    // A keypad of six columns across a page (landscape), its keys as wide as the page allows.
    function keyWidth(pageWidth) { return Math.min(220, Math.floor((pageWidth - 5 * 18) / 6)) }
    Theme { id: theme }

    // A printer state (kiosk.payment.PrinterReadiness) in the technician's words.
    function problemText(state) {
        switch (state) {
        case "ok": return qsTr("ready")
        case "paper_near_end": return qsTr("paper near its end: put in a new roll soon")
        case "paper_out": return qsTr("out of paper: load a paper roll")
        case "cover_open": return qsTr("the printer cover is open: close it")
        case "offline": return qsTr("the printer is offline: check its panel and the paper feed")
        case "error": return qsTr("printer error: clear the jam or switch the printer off and on")
        case "unknown": return qsTr("the printer does not answer: check its power and cable")
        case "unchecked": return qsTr("the printer cannot report its state: printing is not confirmed")
        }
        return state
    }

    // The status codes of ServiceViewModel.status in the technician's words.
    function validatorText(state) {
        switch (state) {
        case "none": return qsTr("no banknote acceptor is configured")
        case "disconnected": return qsTr("not connected: check its power and cable")
        case "ready": return qsTr("working")
        case "jammed": return qsTr("jammed: open it and take out the stuck note")
        case "cassette_full": return qsTr("the cassette is full: collect the cash")
        case "cassette_removed": return qsTr("the cassette is out: put it back")
        case "cheated": return qsTr("a tampering attempt was detected: check the note path")
        case "failure": return qsTr("failed: switch it off and on, then see the log")
        }
        return qsTr("reports a state this menu does not know: see the log")
    }

    function paperText(state) {
        switch (state) {
        case "ok": return qsTr("enough")
        case "near_end": return qsTr("near its end: put in a new roll soon")
        case "out": return qsTr("none left: load a paper roll")
        case "none": return qsTr("no printer")
        }
        return qsTr("unknown: the printer does not say")
    }

    function ledgerText(state) {
        switch (state) {
        case "online": return qsTr("connected")
        case "auth": return qsTr("not connected: the ledger refuses this terminal")
        case "tls": return qsTr("not connected: the secure connection failed")
        case "unsigned": return qsTr("not connected: the answers are not signed by the ledger")
        case "none": return qsTr("no ledger is configured")
        }
        return qsTr("not connected: the ledger does not answer")
    }

    function pausedText(reasons) {
        if (!reasons || reasons.length === 0)
            return qsTr("Taking payments.")
        var words = []
        for (var i = 0; i < reasons.length; ++i) {
            var word
            switch (reasons[i]) {
            case "validator_disconnected": word = qsTr("the banknote acceptor is not connected"); break
            case "validator_jammed": word = qsTr("the banknote acceptor is jammed"); break
            case "validator_failure": word = qsTr("the banknote acceptor failed"); break
            case "cassette_removed": word = qsTr("the cassette is out"); break
            case "cassette_full": word = qsTr("the cassette is full"); break
            case "printer": word = qsTr("the printer cannot print"); break
            case "storage": word = qsTr("the kiosk's database failed"); break
            case "offline_limits": word = qsTr("no ledger connection for too long"); break
            case "stopping": word = qsTr("the kiosk is stopping"); break
            default: word = qsTr("a technical fault")
            }
            if (words.indexOf(word) < 0)
                words.push(word)
        }
        return qsTr("Payments paused: %1.").arg(words.join("; "))
    }

    function eventText(kind) {
        switch (kind) {
        case "validator_disconnected": return qsTr("acceptor disconnected")
        case "validator_jammed": return qsTr("acceptor jammed")
        case "validator_failure": return qsTr("acceptor failed")
        case "cassette_removed": return qsTr("cassette taken out")
        case "cassette_full": return qsTr("cassette full")
        case "cleared": return qsTr("acceptor fault cleared")
        case "reconnected": return qsTr("acceptor connected again")
        case "cassettereplaced": return qsTr("cassette put back")
        case "rejected": return qsTr("a note was rejected")
        case "unresolved_stack": return qsTr("a note's stacking was not confirmed at start-up")
        case "cash_without_account": return qsTr("cash found without an account at start-up")
        case "impossible_session_state": return qsTr("a payment in an impossible state at start-up")
        case "power_up": return qsTr("acceptor switched on")
        case "cheated": return qsTr("a tampering attempt")
        case "stacked_repeat": return qsTr("a note's stacking reported twice (counted once)")
        case "amount_mismatch": return qsTr("the stacked amount differs from the note taken")
        case "returned": return qsTr("a note given back")
        case "acceptance_test": return qsTr("a note recognised in the note test")
        case "unknown_note_in_stacker": return qsTr("an unknown note found in the cassette")
        case "deviceerror": return qsTr("acceptor error")
        }
        if (kind.indexOf("stack_order_") === 0)
            return qsTr("a note's stacking was settled")
        return qsTr("device event: %1").arg(kind)
    }

    // Which confirmation is asked: "", "exit" or "restart".
    property string confirming: ""
    Connections {
        target: service
        function onChanged() { if (service.mode !== "menu") root.confirming = "" }
    }

    function printOutcomeText() {
        switch (service.printOutcome) {
        case "test_printed": return qsTr("Test page printed.")
        case "reprinted": return qsTr("Receipt %1 printed again as a duplicate.").arg(service.printDetail)
        case "not_printed": return qsTr("Not printed: %1").arg(problemText(service.printProblem))
        case "busy": return qsTr("Not now: a customer's payment is in progress.")
        case "no_printer": return qsTr("No receipt printer is configured.")
        case "unknown_receipt": return qsTr("No receipt with number %1.").arg(service.printDetail)
        }
        return ""
    }

    function logMessage() {
        switch (service.logState) {
        case "terminal": return qsTr("The log goes to the terminal: no log file is configured.")
        case "missing": return qsTr("No log file yet at %1").arg(service.logPath)
        case "unreadable": return qsTr("The log file cannot be read: %1").arg(service.logError)
        }
        return service.logPath
    }

    Grid {
        visible: service.mode === "pin"
        columns: window.portrait ? 1 : 2
        spacing: theme.gap * 2
        Column {
            spacing: theme.gap
            width: window.portrait ? 900 : Math.min(700, root.width - pinKeys.width - theme.gap * 2)
            KText { objectName: "loginTitle"; width: parent.width; font.pixelSize: theme.large; font.bold: true; text: service.loginStep === "number" ? qsTr("Technician number") : qsTr("Service PIN") }
            KText { objectName: "pinDots"; font.pixelSize: theme.huge; text: service.pinDots === "" ? " " : service.pinDots }
            KText { objectName: "pinMessage"; width: parent.width; color: theme.danger; text: service.pinMessage }
            Row {
                id: pinButtons
                spacing: theme.gap
                readonly property real share: (parent.width - spacing) / 2
                KButton { objectName: "pinCancel"; width: Math.min(implicitWidth, pinButtons.share); text: qsTr("Cancel"); onPressed: service.close() }
                KButton { objectName: "pinEnter"; width: Math.min(implicitWidth, pinButtons.share); primary: true; text: qsTr("Enter"); onPressed: service.submitPin() }
            }
        }
        Keypad { id: pinKeys; namePrefix: "pin"; keyWidth: root.narrow ? 180 : 220; onKey: (name) => service.pinKey(name) }
    }

    Item {
        id: menu
        objectName: "serviceMenu"
        visible: service.mode === "menu"
        anchors.fill: parent

        Flow {
            id: header
            width: parent.width
            spacing: root.narrow ? 12 : theme.gap
            KText {
                id: headerTitle
                width: window.portrait ? header.width : implicitWidth
                height: window.portrait ? implicitHeight : theme.touch
                verticalAlignment: Text.AlignVCenter
                font.pixelSize: root.narrow ? theme.small : theme.large
                font.bold: true
                wrapMode: Text.NoWrap
                text: qsTr("Service menu")
            }
            Repeater {
                model: [["status", qsTr("Status")], ["printer", qsTr("Printer")],
                        ["acceptance", qsTr("Note test")], ["log", qsTr("Log")]]
                KButton {
                    objectName: "tab_" + modelData[0]
                    width: window.portrait ? (header.width - 3 * theme.gap) / 4
                           : root.narrow ? (header.width - headerTitle.width - 4 * header.spacing) / 4 : 240
                    primary: service.page === modelData[0]
                    text: modelData[1]
                    onPressed: service.showPage(modelData[0])
                }
            }
        }

        // The way out: a row at the bottom in portrait, a column at the right in landscape.
        Grid {
            id: leave
            anchors.bottom: parent.bottom
            anchors.right: parent.right
            columns: window.portrait ? 3 : 1
            spacing: theme.gap
            property real buttonWidth: window.portrait ? (menu.width - 2 * theme.gap) / 3 : root.sideWidth
            KButton { objectName: "serviceExit"; width: leave.buttonWidth; primary: true; text: qsTr("Back to customers"); onPressed: service.close() }
            KButton { objectName: "restartButton"; width: leave.buttonWidth; visible: service.canRestart; text: qsTr("Restart"); onPressed: root.confirming = "restart" }
            KButton { objectName: "exitKioskButton"; width: leave.buttonWidth; text: qsTr("Exit kiosk"); onPressed: root.confirming = "exit" }
        }

        Item {
            id: pages
            anchors.top: header.bottom
            anchors.topMargin: theme.gap
            anchors.left: parent.left
            anchors.right: window.portrait ? parent.right : leave.left
            anchors.rightMargin: window.portrait ? 0 : theme.gap
            anchors.bottom: window.portrait ? leave.top : parent.bottom
            anchors.bottomMargin: window.portrait ? theme.gap : 0
            clip: true

            // Status: devices, printer, sync, counters and the latest device events in words;
            // its buttons on top in portrait, at the side in landscape.
            Grid {
                id: statusButtons
                visible: service.page === "status" && service.encashStep === ""
                anchors.top: parent.top
                anchors.right: parent.right
                columns: window.portrait ? 3 : 1
                spacing: theme.gap
                property real buttonWidth: window.portrait ? (pages.width - 2 * theme.gap) / 3 : root.sideWidth
                KButton { objectName: "refreshButton"; width: statusButtons.buttonWidth; text: qsTr("Refresh"); onPressed: service.refresh() }
                KButton { objectName: "encashButton"; width: statusButtons.buttonWidth; text: qsTr("Collect cash"); onPressed: service.encash() }
                KButton { objectName: "sendNowButton"; width: statusButtons.buttonWidth; text: qsTr("Send now"); onPressed: service.sendNow() }
            }
            Flickable {
                visible: service.page === "status" && service.encashStep === ""
                anchors.top: window.portrait ? statusButtons.bottom : parent.top
                anchors.topMargin: window.portrait ? theme.gap : 0
                anchors.left: parent.left
                anchors.right: window.portrait ? parent.right : statusButtons.left
                anchors.rightMargin: window.portrait ? 0 : theme.gap
                anchors.bottom: parent.bottom
                contentHeight: statusColumn.height
                clip: true
                Column {
                    id: statusColumn
                    width: parent.width
                    spacing: theme.gap / 3
                    property var info: service.status
                    KText {
                        objectName: "printerWarning"
                        width: parent.width
                        visible: service.printerState !== "" && service.printerState !== "ok"
                        color: service.printerState === "paper_near_end" ? theme.warning : theme.danger
                        font.bold: true
                        text: qsTr("Printer: %1").arg(root.problemText(service.printerState))
                    }
                    KText {
                        objectName: "statusPaused"
                        width: parent.width
                        font.bold: true
                        color: (statusColumn.info.outOfService || []).length ? theme.danger : theme.accent
                        text: root.pausedText(statusColumn.info.outOfService)
                    }
                    KText { objectName: "statusValidator"; width: parent.width; font.pixelSize: theme.small; text: qsTr("Banknote acceptor: %1").arg(root.validatorText(statusColumn.info.validator)) }
                    KText { objectName: "statusValidatorModel"; width: parent.width; font.pixelSize: theme.small; color: theme.muted; visible: (statusColumn.info.validatorModel || "") !== ""; text: qsTr("Model, serial and firmware: %1").arg(statusColumn.info.validatorModel) }
                    KText { objectName: "statusLinkAlerts"; width: parent.width; font.pixelSize: theme.small; color: theme.danger; visible: (statusColumn.info.linkAlerts || 0) > 0; text: qsTr("Unencrypted replies refused on the acceptor's cable: %1 (a device may be spliced into it)").arg(statusColumn.info.linkAlerts) }
                    KText {
                        objectName: "statusPrinter"
                        width: parent.width
                        font.pixelSize: theme.small
                        text: service.printerState === "" ? qsTr("No receipt printer is configured.")
                              : qsTr("Printer: %1").arg(root.problemText(service.printerState))
                    }
                    KText { objectName: "statusPaper"; width: parent.width; font.pixelSize: theme.small; text: qsTr("Paper: %1").arg(root.paperText(statusColumn.info.paper)) }
                    KText { objectName: "statusLedger"; width: parent.width; font.pixelSize: theme.small; text: qsTr("Ledger: %1").arg(root.ledgerText(statusColumn.info.ledger)) }
                    KText { objectName: "statusLedgerDetail"; width: parent.width; font.pixelSize: theme.small; color: theme.muted; visible: (statusColumn.info.ledgerDetail || "") !== ""; wrapMode: Text.WrapAnywhere; text: statusColumn.info.ledgerDetail || "" }
                    KText {
                        objectName: "statusOutbox"
                        width: parent.width
                        font.pixelSize: theme.small
                        text: (statusColumn.info.outboxCount || 0) === 0 ? qsTr("Nothing is waiting to be sent to the ledger.")
                              : qsTr("Waiting to be sent to the ledger: %2 (records: %1); the oldest for %3 min.")
                                    .arg(statusColumn.info.outboxCount).arg(statusColumn.info.outboxAmount)
                                    .arg(Math.max(0, statusColumn.info.oldestMinutes))
                    }
                    KText { objectName: "statusCassette"; width: parent.width; font.pixelSize: theme.small; text: qsTr("In the cassette: %2 (notes: %1)").arg(statusColumn.info.cassetteNotes || 0).arg(statusColumn.info.cassetteAmount || "") }
                    KText { objectName: "statusToday"; width: parent.width; font.pixelSize: theme.small; text: qsTr("Payments today: %1").arg(statusColumn.info.paymentsToday || 0) }
                    KText { objectName: "statusWho"; width: parent.width; font.pixelSize: theme.small; color: theme.muted; text: qsTr("Terminal %1, technician %2").arg(statusColumn.info.terminal || "").arg(statusColumn.info.technician || "") }
                    KText { width: parent.width; font.pixelSize: theme.small; font.bold: true; text: qsTr("Latest device events") }
                    KText { objectName: "statusNoEvents"; width: parent.width; font.pixelSize: theme.small; color: theme.muted; visible: (statusColumn.info.events || []).length === 0; text: qsTr("No device events recorded.") }
                    Repeater {
                        model: statusColumn.info.events || []
                        KText {
                            objectName: "statusEvent_" + index
                            width: statusColumn.width
                            font.pixelSize: theme.small
                            text: modelData.time + "  " + root.eventText(modelData.kind)
                        }
                    }
                }
            }

            // Collecting the cash: what was recorded → the count typed → expected vs counted
            // → done (the receipt printed).
            Column {
                id: encashPage
                objectName: "encashPage"
                visible: service.page === "status" && service.encashStep !== ""
                width: parent.width
                spacing: theme.gap / 2
                property var info: service.encashInfo
                property string step: service.encashStep
                KText {
                    objectName: "encashTitle"
                    width: parent.width
                    font.pixelSize: root.narrow ? theme.body : theme.large
                    font.bold: true
                    text: encashPage.step === "done" ? qsTr("Cash collected")
                          : encashPage.step === "refused" ? qsTr("Collect cash")
                          : encashPage.step === "count" ? qsTr("Type the amount you counted, in tenge")
                          : encashPage.step === "confirm" ? qsTr("Check the count before collecting")
                          : qsTr("Collect cash: what the kiosk recorded")
                }
                KText {
                    objectName: "encashRefused"
                    width: parent.width
                    visible: encashPage.step === "refused"
                    color: theme.danger
                    text: encashPage.info.problem === "busy" ? qsTr("Not now: a customer's payment is in progress. Try again when it ends.")
                          : encashPage.info.problem === "empty" ? qsTr("Nothing to collect: no note was taken since the last collection.")
                          : qsTr("The collection failed: nothing was collected; see the kiosk log.")
                }
                // The preview: notes per denomination, amount, period, cassette.
                Column {
                    width: parent.width
                    spacing: theme.gap / 3
                    visible: encashPage.step === "preview"
                    Repeater {
                        model: encashPage.info.notes || []
                        KText {
                            objectName: "encashNote_" + index
                            width: encashPage.width
                            font.pixelSize: theme.small
                            text: qsTr("%1 × %2 = %3").arg(modelData.note).arg(modelData.count).arg(modelData.amount)
                        }
                    }
                    KText {
                        objectName: "encashTotal"
                        width: parent.width
                        font.bold: true
                        text: qsTr("Recorded: %2 (notes: %1)").arg(encashPage.info.count || 0).arg(encashPage.info.expected || "")
                    }
                    KText {
                        objectName: "encashPeriod"
                        width: parent.width
                        font.pixelSize: theme.small
                        text: !encashPage.info.since ? qsTr("No notes since the kiosk was set up.")
                              : encashPage.info.sinceLast ? qsTr("Since the last collection on %1").arg(encashPage.info.since)
                              : qsTr("Since the first note on %1 (no collection before)").arg(encashPage.info.since)
                    }
                    KText {
                        objectName: "encashCassette"
                        width: parent.width
                        font.pixelSize: theme.small
                        text: qsTr("Cassette: %1").arg(encashPage.info.cassette ? encashPage.info.cassette : qsTr("not reported by the device"))
                    }
                    KText {
                        objectName: "encashNothing"
                        width: parent.width
                        visible: (encashPage.info.count || 0) === 0
                        color: theme.warning
                        text: qsTr("Nothing to collect: no note was taken since the last collection.")
                    }
                }
                // The count: the technician's amount on a keypad.
                KText {
                    objectName: "countedAmount"
                    visible: encashPage.step === "count"
                    font.pixelSize: root.narrow ? theme.large : theme.huge
                    text: service.countedDigits === "" ? "0 ₸" : encashPage.info.counted
                }
                Keypad { id: countKeys; visible: encashPage.step === "count"; namePrefix: "count"; columns: window.portrait ? 3 : 6; keyWidth: window.portrait ? 220 : root.keyWidth(encashPage.width); keyHeight: window.portrait ? 140 : (root.narrow ? 100 : 110); onKey: (name) => service.countKey(name) }
                // The review: expected, counted, difference.
                Column {
                    width: parent.width
                    spacing: theme.gap / 3
                    visible: encashPage.step === "confirm"
                    KText { objectName: "encashExpected"; width: parent.width; text: qsTr("Recorded by the kiosk: %1").arg(encashPage.info.expected || "") }
                    KText { objectName: "encashCounted"; width: parent.width; text: qsTr("Counted by you: %1").arg(encashPage.info.counted || "") }
                    KText {
                        objectName: "encashDifference"
                        width: parent.width
                        font.bold: true
                        color: encashPage.info.balanced ? theme.accent : theme.danger
                        text: encashPage.info.balanced ? qsTr("Difference: none") : qsTr("Difference: %1").arg(encashPage.info.difference || "")
                    }
                    KText { width: parent.width; font.pixelSize: theme.small; color: theme.muted; text: qsTr("The count and the difference go on the encashment receipt and into the log.") }
                }
                KText {
                    objectName: "encashDone"
                    width: parent.width
                    visible: encashPage.step === "done"
                    text: qsTr("Encashment %1: %2").arg(encashPage.info.encashmentId || "").arg(
                              encashPage.info.printed ? qsTr("the receipt is printed.")
                              : qsTr("the receipt is not printed (%1).").arg(encashPage.info.printError || ""))
                }
                Row {
                    id: encashButtons
                    spacing: theme.gap
                    // Two buttons share the page's width: long labels wrap in them.
                    readonly property real share: (encashPage.width - spacing) / 2
                    KButton {
                        objectName: "encashBackButton"
                        width: Math.min(implicitWidth, encashButtons.share)
                        text: encashPage.step === "done" || encashPage.step === "refused" ? qsTr("Done") : qsTr("Back")
                        primary: encashPage.step === "done" || encashPage.step === "refused"
                        onPressed: service.encashBack()
                    }
                    KButton { objectName: "encashCountButton"; width: Math.min(implicitWidth, encashButtons.share); visible: encashPage.step === "preview"; active: (encashPage.info.count || 0) > 0; primary: true; text: qsTr("Count the cash"); onPressed: service.encashCount() }
                    KButton { objectName: "encashReviewButton"; width: Math.min(implicitWidth, encashButtons.share); visible: encashPage.step === "count"; primary: true; active: service.countedDigits !== ""; text: qsTr("Check"); onPressed: service.encashReview() }
                    KButton { objectName: "encashConfirmButton"; width: Math.min(implicitWidth, encashButtons.share); visible: encashPage.step === "confirm"; primary: true; text: qsTr("Collect"); onPressed: service.encashConfirm() }
                }
            }

            // Printer: the test page, and a stored receipt printed again as a duplicate.
            Column {
                width: parent.width
                visible: service.page === "printer"
                spacing: theme.gap
                Row {
                    width: parent.width
                    spacing: theme.gap
                    KButton { id: testPrintButton; objectName: "testPrintButton"; width: 420; text: qsTr("Print a test page"); onPressed: service.testPrint() }
                    Column {
                        width: parent.width - testPrintButton.width - theme.gap
                        anchors.verticalCenter: parent.verticalCenter
                        KText {
                            objectName: "printerState"
                            width: parent.width
                            font.pixelSize: theme.small
                            color: service.printerState === "ok" ? theme.text : (service.printerState === "paper_near_end" ? theme.warning : theme.danger)
                            text: service.printerState === "" ? qsTr("No receipt printer is configured.")
                                  : qsTr("Printer: %1").arg(root.problemText(service.printerState))
                        }
                        KText {
                            objectName: "printResult"
                            width: parent.width
                            visible: service.printOutcome !== ""
                            font.pixelSize: theme.small
                            font.bold: true
                            color: service.printOutcome === "test_printed" || service.printOutcome === "reprinted" ? theme.accent : theme.danger
                            text: root.printOutcomeText()
                        }
                        KText {
                            objectName: "printDetail"
                            width: parent.width
                            visible: service.printOutcome === "not_printed"
                            font.pixelSize: theme.small
                            color: theme.muted
                            text: service.printDetail
                        }
                    }
                }
                Row {
                    spacing: theme.gap
                    Rectangle {
                        width: reprintKeys.width - reprintButton.width - theme.gap
                        height: theme.touch
                        radius: 18
                        color: theme.panel
                        KText {
                            objectName: "reprintNumber"
                            anchors.fill: parent
                            anchors.margins: 16
                            verticalAlignment: Text.AlignVCenter
                            font.pixelSize: service.reprintDigits === "" ? theme.small : theme.large
                            color: service.reprintDigits === "" ? theme.muted : theme.text
                            text: service.reprintDigits === "" ? qsTr("Number of the receipt to print again") : service.reprintDigits
                        }
                    }
                    KButton {
                        id: reprintButton
                        objectName: "reprintButton"
                        primary: true
                        active: service.reprintDigits !== ""
                        text: qsTr("Reprint")
                        onPressed: service.reprint()
                    }
                }
                // Wide and low, so the keys fit under the rest in either orientation.
                Keypad { id: reprintKeys; namePrefix: "reprint"; columns: window.portrait ? 4 : 6; keyWidth: window.portrait ? 220 : root.keyWidth(parent.width); keyHeight: root.narrow ? 110 : theme.touch; onKey: (name) => service.reprintKey(name) }
            }

            // Acceptance test: every note recognised is listed and given back.
            Column {
                width: parent.width
                visible: service.page === "acceptance"
                spacing: theme.gap
                KText { width: parent.width; text: qsTr("Insert notes one by one: each is recognised and given back, nothing is kept.") }
                KButton {
                    objectName: "acceptanceButton"
                    primary: service.acceptanceRunning
                    text: service.acceptanceRunning ? qsTr("Stop the test") : qsTr("Start the test")
                    onPressed: service.acceptanceRunning ? service.stopAcceptanceTest() : service.startAcceptanceTest()
                }
                KText {
                    objectName: "acceptanceError"
                    width: parent.width
                    visible: service.acceptanceError !== ""
                    color: theme.danger
                    text: qsTr("A customer's session is open: the test can start when it ends.")
                }
                KText {
                    width: parent.width
                    font.bold: true
                    text: qsTr("Recognised: %1").arg(service.acceptanceNotes.length)
                }
                KText {
                    objectName: "acceptanceList"
                    width: parent.width
                    font.pixelSize: theme.small
                    text: service.acceptanceNotes.slice().reverse().join("\n")
                }
            }

            // Recent log: the newest lines of the log file, newest first, one line each.
            Flickable {
                anchors.fill: parent
                visible: service.page === "log"
                contentHeight: logColumn.height
                Column {
                    id: logColumn
                    width: parent.width
                    spacing: theme.gap / 2
                    Row {
                        width: parent.width
                        spacing: theme.gap
                        KButton { id: logRefresh; objectName: "logRefreshButton"; text: qsTr("Refresh"); onPressed: service.readLog() }
                        KText {
                            objectName: "logMessage"
                            width: parent.width - logRefresh.width - theme.gap
                            anchors.verticalCenter: parent.verticalCenter
                            font.pixelSize: theme.small
                            color: service.logState === "file" ? theme.muted : theme.warning
                            wrapMode: Text.WrapAnywhere
                            text: root.logMessage()
                        }
                    }
                    Repeater {
                        model: service.logLines
                        KText {
                            objectName: "logLine_" + index
                            width: logColumn.width
                            font.pixelSize: theme.small
                            wrapMode: Text.NoWrap
                            elide: Text.ElideRight
                            color: modelData.level === "ERROR" || modelData.level === "CRITICAL" ? theme.danger
                                   : (modelData.level === "WARNING" ? theme.warning : theme.text)
                            text: modelData.time + "  " + modelData.level + "  " + modelData.event
                        }
                    }
                }
            }
        }
    }

    // "Are you sure?" before the kiosk stops or restarts: over the whole menu.
    Rectangle {
        objectName: "confirmDialog"
        anchors.fill: parent
        visible: root.confirming !== ""
        color: theme.background
        MouseArea { anchors.fill: parent }  // nothing under the dialog is pressed
        Column {
            anchors.centerIn: parent
            width: Math.min(parent.width - 2 * theme.gap, 1000)
            spacing: theme.gap * 2
            KText {
                objectName: "confirmQuestion"
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                font.pixelSize: theme.large
                font.bold: true
                text: root.confirming === "restart" ? qsTr("Restart the kiosk program now?")
                      : qsTr("Exit the kiosk program now? Customers cannot pay until it is started again.")
            }
            Row {
                anchors.horizontalCenter: parent.horizontalCenter
                spacing: theme.gap
                KButton { objectName: "confirmNo"; primary: true; text: qsTr("No"); onPressed: root.confirming = "" }
                KButton {
                    objectName: "confirmYes"
                    text: qsTr("Yes")
                    onPressed: {
                        var what = root.confirming
                        root.confirming = ""
                        if (what === "restart") service.restart()
                        else service.exitKiosk()
                    }
                }
            }
        }
    }

    // Any press on the pad or the menu starts the idle logout's minute again; the press
    // goes on to what is under it.
    MouseArea {
        anchors.fill: parent
        z: 1000
        propagateComposedEvents: true
        onPressed: (mouse) => { service.touched(); mouse.accepted = false }
    }
}
