import QtQuick
import ".."

// The technician's menu: their number and PIN first, then pages (status, printer, acceptance test, log) and
// the way out (back to customers, restart, exit). Every word the menu says is here.
Item {
    id: root
    // Landscape: the width of a column of buttons at the side.
    readonly property int sideWidth: 360
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
            width: window.portrait ? 900 : 700
            KText { objectName: "loginTitle"; font.pixelSize: theme.large; font.bold: true; text: service.loginStep === "number" ? qsTr("Technician number") : qsTr("Service PIN") }
            KText { objectName: "pinDots"; font.pixelSize: theme.huge; text: service.pinDots === "" ? " " : service.pinDots }
            KText { objectName: "pinMessage"; width: parent.width; color: theme.danger; text: service.pinMessage }
            Row {
                spacing: theme.gap
                KButton { objectName: "pinCancel"; text: qsTr("Cancel"); onPressed: service.close() }
                KButton { objectName: "pinEnter"; primary: true; text: qsTr("Enter"); onPressed: service.submitPin() }
            }
        }
        Keypad { namePrefix: "pin"; onKey: (name) => service.pinKey(name) }
    }

    Item {
        id: menu
        objectName: "serviceMenu"
        visible: service.mode === "menu"
        anchors.fill: parent

        Flow {
            id: header
            width: parent.width
            spacing: theme.gap
            KText {
                width: window.portrait ? header.width : implicitWidth
                height: window.portrait ? implicitHeight : theme.touch
                verticalAlignment: Text.AlignVCenter
                font.pixelSize: theme.large
                font.bold: true
                wrapMode: Text.NoWrap
                text: qsTr("Service menu")
            }
            Repeater {
                model: [["status", qsTr("Status")], ["printer", qsTr("Printer")],
                        ["acceptance", qsTr("Note test")], ["log", qsTr("Log")]]
                KButton {
                    objectName: "tab_" + modelData[0]
                    width: window.portrait ? (header.width - 3 * theme.gap) / 4 : 240
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
            KButton { objectName: "restartButton"; width: leave.buttonWidth; visible: service.canRestart; text: qsTr("Restart"); onPressed: service.restart() }
            KButton { objectName: "exitKioskButton"; width: leave.buttonWidth; text: qsTr("Exit kiosk"); onPressed: service.exitKiosk() }
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

            // Status: devices, printer, sync, the latest device events; its buttons on top
            // in portrait, at the side in landscape.
            Grid {
                id: statusButtons
                visible: service.page === "status"
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
                visible: service.page === "status"
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
                    spacing: theme.gap / 2
                    KText {
                        objectName: "printerWarning"
                        width: parent.width
                        visible: service.printerState !== "" && service.printerState !== "ok"
                        color: service.printerState === "paper_near_end" ? theme.warning : theme.danger
                        font.bold: true
                        text: qsTr("Printer: %1").arg(root.problemText(service.printerState))
                    }
                    KText { objectName: "encashmentResult"; width: parent.width; font.pixelSize: theme.small; color: theme.accent; text: service.encashment; visible: service.encashment !== "" }
                    KText { objectName: "serviceStatus"; width: parent.width; font.pixelSize: theme.small; wrapMode: Text.Wrap; text: service.statusText }
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
                Keypad { id: reprintKeys; namePrefix: "reprint"; columns: window.portrait ? 4 : 6; onKey: (name) => service.reprintKey(name) }
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
}
