import QtQuick
import ".."

// Out of service: why in plain words, the terminal number and the support phone to call,
// and the status look-up (a customer with a receipt can still check a payment).
Item {
    Theme { id: theme }
    Column {
        anchors.centerIn: parent
        width: parent.width * 0.9
        spacing: window.portrait ? theme.gap * 2 : theme.gap
        KText { width: parent.width; horizontalAlignment: Text.AlignHCenter; font.pixelSize: window.portrait ? theme.huge : theme.large; font.bold: true; text: qsTr("Temporarily out of service") }
        KText { objectName: "outOfServiceReason"; width: parent.width; horizontalAlignment: Text.AlignHCenter; text: kiosk.outOfServiceText }
        KText { objectName: "outOfServiceNoCash"; width: parent.width; horizontalAlignment: Text.AlignHCenter; color: theme.muted; text: qsTr("Please do not insert cash.") }
        KText { objectName: "outOfServiceHelp"; width: parent.width; horizontalAlignment: Text.AlignHCenter; wrapMode: Text.NoWrap; fontSizeMode: Text.HorizontalFit; minimumPixelSize: 24; text: kiosk.info.helpText }
        KButton {
            objectName: "statusButton"
            anchors.horizontalCenter: parent.horizontalCenter
            text: qsTr("Payment status")
            onPressed: kiosk.showPage("status")
        }
    }
}
