import QtQuick
import ".."

// The checked account: holder (masked), offline notice, minimum; then insert cash.
Item {
    Theme { id: theme }
    Column {
        width: window.portrait ? parent.width : parent.width - 500
        spacing: theme.gap * 2
        KText { width: parent.width; font.pixelSize: theme.large; font.bold: true; text: kiosk.serviceName }
        Text {
            objectName: "checkedAccount"
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            fontSizeMode: Text.Fit
            minimumPixelSize: 40
            font.pixelSize: theme.huge
            color: theme.accent
            text: kiosk.account
        }
        KText {
            objectName: "holderName"
            width: parent.width
            visible: kiosk.holder !== ""
            text: qsTr("Recipient: %1").arg(kiosk.holder)
        }
        KText {
            width: parent.width
            visible: kiosk.checkedOffline
            color: theme.warning
            text: qsTr("The number could not be checked online: it was checked by its format only.")
        }
        KText { width: parent.width; text: qsTr("Minimum payment: %1").arg(kiosk.minAmount) }
    }
    Actions {
        KButton { objectName: "cancelButton"; text: qsTr("Cancel"); onPressed: kiosk.cancel() }
        KButton { objectName: "editButton"; text: qsTr("Change"); onPressed: kiosk.editAccount() }
        KButton {
            objectName: "insertCashButton"
            primary: true
            text: qsTr("Insert cash")
            onPressed: kiosk.startCash()
        }
    }
}
