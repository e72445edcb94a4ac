import QtQuick
import ".."

// Cash insertion: amounts, limits, accepted notes, a returned note; Pay once allowed.
Item {
    Theme { id: theme }
    Column {
        width: window.portrait ? parent.width : parent.width - 500
        spacing: theme.gap
        KText { width: parent.width; font.pixelSize: theme.large; font.bold: true; text: kiosk.serviceName + "  " + kiosk.account }
        KText { width: parent.width; color: theme.muted; text: qsTr("Insert banknotes one at a time") }
        Grid {
            width: parent.width
            columns: 2
            rowSpacing: 12
            columnSpacing: theme.gap
            KText { width: parent.width * 0.55; text: qsTr("Inserted") }
            KText { objectName: "insertedAmount"; font.pixelSize: theme.large; font.bold: true; text: kiosk.inserted }
            KText { width: parent.width * 0.55; text: qsTr("Commission") }
            KText { objectName: "commissionAmount"; font.pixelSize: theme.large; text: kiosk.commission }
            KText { width: parent.width * 0.55; text: qsTr("To be credited") }
            KText { objectName: "creditedAmount"; font.pixelSize: theme.large; font.bold: true; color: theme.accent; text: kiosk.credited }
        }
        KText { width: parent.width; font.pixelSize: theme.small; text: qsTr("Minimum payment: %1").arg(kiosk.minAmount) }
        KText {
            objectName: "maxMore"
            width: parent.width
            font.pixelSize: theme.small
            // Public caps only: the wallet's own room is never shown as a figure.
            text: kiosk.walletFullText !== "" ? kiosk.walletFullText
                  : qsTr("You can insert up to %1 more").arg(kiosk.maxMore)
                    + (kiosk.limitText !== "" ? " (" + kiosk.limitText + ")" : "")
        }
        KText {
            objectName: "acceptedNotes"
            width: parent.width
            font.pixelSize: theme.small
            text: kiosk.acceptedNotes !== "" ? qsTr("Accepted notes: %1").arg(kiosk.acceptedNotes)
                                             : qsTr("No more notes can be accepted")
        }
        KText {
            objectName: "noteInProgress"
            width: parent.width
            visible: kiosk.noteInProgress
            color: theme.muted
            text: qsTr("Counting the note…")
        }
        KText {
            objectName: "returnedNote"
            width: parent.width
            visible: kiosk.returnedText !== ""
            color: theme.danger
            text: kiosk.returnedText
        }
        KText {
            width: parent.width
            font.pixelSize: theme.small
            color: theme.muted
            visible: kiosk.hasCash
            text: qsTr("No change is given. The commission is not refunded.")
        }
    }
    Actions {
        KButton {
            objectName: "cancelButton"
            visible: kiosk.canCancel
            text: qsTr("Cancel")
            onPressed: kiosk.cancel()
        }
        KButton {
            objectName: "payButton"
            primary: true
            active: kiosk.canPay
            text: qsTr("Pay")
            onPressed: kiosk.pay()
        }
    }
}
