import QtQuick
import ".."

// Attract screen: what the kiosk does, the two categories, the "i" button.
Item {
    Theme { id: theme }
    Item {
        id: area
        anchors.fill: parent
        anchors.bottomMargin: theme.touch + theme.gap  // the status and "i" buttons below
    }
    Column {
        anchors.centerIn: area
        width: parent.width * 0.9
        // Under the offline banner at 1280×1024 (or in large text) it shrinks to the room.
        scale: Math.min(1, area.height / Math.max(1, implicitHeight))
        spacing: window.portrait ? theme.gap * 2 : theme.gap
        KText {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            // 1280×1024 with the offline banner: the title in smaller type keeps it on screen.
            font.pixelSize: window.portrait ? theme.huge : (window.width >= 1600 ? theme.large : theme.body)
            font.bold: true
            text: qsTr("Top up a wallet or a phone")
        }
        KText {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            color: theme.muted
            text: qsTr("Cash only. No change is given: everything you insert is paid in, less the commission shown on the service.")
        }
        KText {
            objectName: "maintenanceNotice"  // a planned maintenance, from 3 hours before
            width: parent.width
            visible: text !== ""
            horizontalAlignment: Text.AlignHCenter
            font.bold: true
            text: kiosk.maintenanceNotice
        }
        Grid {
            width: parent.width
            columns: window.portrait ? 1 : 2
            spacing: theme.gap * 2
            KButton {
                objectName: "category_ewallet"
                width: window.portrait ? parent.width : (parent.width - theme.gap * 2) / 2
                primary: true
                text: qsTr("E-wallets")
                detail: kiosk.menu.ewalletPrice
                onPressed: kiosk.showCategory("ewallet")
            }
            KButton {
                objectName: "category_mobile"
                width: window.portrait ? parent.width : (parent.width - theme.gap * 2) / 2
                primary: true
                text: qsTr("Mobile phone")
                detail: kiosk.menu.mobilePrice
                onPressed: kiosk.showCategory("mobile")
            }
        }
    }
    KButton {
        objectName: "statusButton"
        anchors.left: parent.left
        anchors.bottom: parent.bottom
        text: qsTr("Payment status")
        onPressed: kiosk.showPage("status")
    }
    KButton {
        objectName: "infoButton"
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        implicitWidth: theme.touch
        text: "i"
        onPressed: kiosk.showPage("info")
    }
}
