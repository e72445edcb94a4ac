import QtQuick
import ".."

// Payment status by the receipt number printed on the receipt.
Item {
    Theme { id: theme }
    Column {
        id: top
        width: window.portrait ? parent.width : parent.width - keypad.width - theme.gap * 2
        spacing: theme.gap
        KText { width: parent.width; font.pixelSize: theme.large; font.bold: true; text: qsTr("Payment status") }
        KText { width: parent.width; color: theme.muted; text: qsTr("Enter the receipt number") }
        Rectangle {
            width: parent.width
            height: theme.touch
            color: theme.panel
            radius: 12
            Text {
                objectName: "statusField"
                anchors.centerIn: parent
                font.pixelSize: theme.huge
                color: theme.text
                text: kiosk.statusDigits === "" ? "№" : "№ " + kiosk.statusDigits
            }
        }
        KText { objectName: "statusAnswer"; width: parent.width; color: theme.accent; text: kiosk.statusAnswer; visible: kiosk.statusAnswer !== "" }
    }
    Keypad {
        id: keypad
        namePrefix: "status"
        anchors.horizontalCenter: window.portrait ? parent.horizontalCenter : undefined
        anchors.right: window.portrait ? undefined : parent.right
        anchors.top: window.portrait ? top.bottom : parent.top
        anchors.topMargin: window.portrait ? theme.gap : 0
        onKey: (name) => kiosk.statusKey(name)
    }
    Actions {
        side: "left"
        KButton { objectName: "backButton"; text: qsTr("Back"); onPressed: kiosk.showPage("idle") }
        KButton { objectName: "reprintButton"; visible: kiosk.canReprint; text: qsTr("Print the receipt"); onPressed: kiosk.reprintReceipt() }
        KButton { objectName: "lookUpButton"; primary: true; text: qsTr("Check"); onPressed: kiosk.lookUpStatus() }
    }
}
