import QtQuick
import ".."

// Cash insertion: amounts, limits, accepted notes, a returned note; Pay once allowed.
Item {
    Theme { id: theme }
    Column {
        width: window.portrait ? parent.width : parent.width - 500
        // Landscape is short: the price, the no-refund rule and the hints must all fit.
        spacing: window.portrait ? theme.gap : theme.gap / 2
        KText { width: parent.width; font.pixelSize: theme.large; font.bold: true; text: kiosk.session.serviceName + "  " + kiosk.session.account }
        KText { width: parent.width; visible: !kiosk.cash.acceptorFault; color: theme.muted; text: qsTr("Insert banknotes one at a time") }
        Grid {
            width: parent.width
            columns: 2
            rowSpacing: window.portrait ? 12 : 0
            columnSpacing: theme.gap
            KText { width: parent.width * 0.55; text: qsTr("Inserted") }
            KText { objectName: "insertedAmount"; font.pixelSize: theme.large; font.bold: true; text: kiosk.cash.inserted }
            KText { width: parent.width * 0.55; text: qsTr("Commission") }
            KText { objectName: "commissionAmount"; font.pixelSize: theme.large; text: kiosk.cash.commission }
            KText { width: parent.width * 0.55; text: qsTr("To be credited") }
            KText { objectName: "creditedAmount"; font.pixelSize: theme.large; font.bold: true; color: theme.accent; text: kiosk.cash.credited }
        }
        // The price and the no-refund rule before the first note (nothing inserted comes back).
        KText { objectName: "commissionRule"; width: parent.width; font.pixelSize: theme.small; text: kiosk.cash.commissionRule }
        KText { objectName: "noChange"; width: parent.width; font.pixelSize: theme.small; font.bold: true; text: kiosk.cash.noChangeText }
        KText { width: parent.width; font.pixelSize: theme.small; text: qsTr("Minimum payment: %1").arg(kiosk.session.minAmount) }
        KText {
            objectName: "acceptorFault"
            width: parent.width
            visible: kiosk.cash.acceptorFault
            font.bold: true
            color: theme.accent
            text: kiosk.cash.faultText
        }
        KText {
            objectName: "maxMore"
            width: parent.width
            // One line from the view: the credit still possible in whole tenge, the limit
            // reached, or the wallet full; none beside a failed acceptor.
            visible: kiosk.cash.limitLine !== ""
            font.pixelSize: theme.small
            text: kiosk.cash.limitLine
        }
        KText {
            objectName: "acceptedNotes"
            width: parent.width
            font.pixelSize: theme.small
            text: kiosk.cash.acceptedNotes !== "" ? qsTr("Accepted notes: %1").arg(kiosk.cash.acceptedNotes)
                                             : qsTr("No more notes can be accepted")
        }
        KText {
            objectName: "noteInProgress"
            width: parent.width
            visible: kiosk.cash.noteInProgress
            color: theme.muted
            text: qsTr("Counting the note…")
        }
        KText {
            objectName: "returnedNote"
            width: parent.width
            visible: kiosk.cash.returnedText !== ""
            color: theme.danger
            text: kiosk.cash.returnedText
        }
        KText {
            objectName: "payHint"
            width: parent.width
            visible: kiosk.cash.payHint !== ""
            font.pixelSize: theme.small
            text: kiosk.cash.payHint
        }
    }
    Actions {
        KButton {
            objectName: "cancelButton"
            visible: kiosk.cash.canCancel
            text: qsTr("Cancel")
            onPressed: kiosk.cancel()
        }
        KButton {
            objectName: "payButton"
            primary: true
            active: kiosk.cash.canPay
            text: qsTr("Pay")
            onPressed: kiosk.pay()
        }
    }
}
