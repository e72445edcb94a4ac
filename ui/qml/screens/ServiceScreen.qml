import QtQuick
import ".."

// The technician's menu: PIN first, then status, encashment, sync, exit.
Item {
    Theme { id: theme }
    Grid {
        visible: service.mode === "pin"
        columns: window.portrait ? 1 : 2
        spacing: theme.gap * 2
        Column {
            spacing: theme.gap
            width: window.portrait ? 900 : 700
            KText { font.pixelSize: theme.large; font.bold: true; text: qsTr("Service PIN") }
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
    Column {
        visible: service.mode === "menu"
        width: parent.width
        spacing: theme.gap
        KText { font.pixelSize: theme.large; font.bold: true; text: qsTr("Service menu") }
        KText { objectName: "serviceStatus"; width: parent.width; font.pixelSize: theme.small; text: service.statusText }
        KText { objectName: "encashmentResult"; width: parent.width; font.pixelSize: theme.small; color: theme.accent; text: service.encashment; visible: service.encashment !== "" }
        Flow {
            width: parent.width
            spacing: theme.gap
            KButton { objectName: "refreshButton"; text: qsTr("Refresh"); onPressed: service.refresh() }
            KButton { objectName: "encashButton"; text: qsTr("Collect cash"); onPressed: service.encash() }
            KButton { objectName: "sendNowButton"; text: qsTr("Send now"); onPressed: service.sendNow() }
            KButton { objectName: "serviceExit"; primary: true; text: qsTr("Back to customers"); onPressed: service.close() }
            KButton { objectName: "exitKioskButton"; text: qsTr("Exit kiosk"); onPressed: service.exitKiosk() }
        }
    }
}
