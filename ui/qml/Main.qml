import QtQuick
import QtQuick.Window
import "screens"

// The kiosk window: one screen at a time, chosen by the view-model; banners and the
// "are you still there?" countdown on top. No business rule here.
Window {
    id: window
    objectName: "kioskWindow"
    visible: true
    width: kioskWidth
    height: kioskHeight
    color: theme.background
    title: "Kiosk"
    property bool portrait: height >= width
    // In kiosk mode only the service menu's "Exit kiosk" ends the program.
    onClosing: (close) => { close.accepted = !kioskLocked }
    Theme { id: theme }

    Item {
        id: content
        anchors.fill: parent
        anchors.margins: 40

        Row {
            id: languages
            objectName: "languageBar"
            anchors.top: parent.top
            anchors.right: parent.right
            spacing: 16
            visible: kiosk.screen !== "printing" && service.mode === "closed"
            height: visible ? implicitHeight : 0  // hidden, it gives its space to the screen
            Repeater {
                model: [["kk", "Қазақша"], ["ru", "Русский"], ["en", "English"]]
                KButton {
                    objectName: "lang_" + modelData[0]
                    text: modelData[1]
                    implicitWidth: 260
                    primary: kiosk.language === modelData[0]
                    onPressed: kiosk.setLanguage(modelData[0])
                }
            }
        }

        Rectangle {
            id: offlineBanner
            objectName: "offlineBanner"
            visible: !kiosk.online && service.mode === "closed"
            anchors.top: languages.bottom
            anchors.topMargin: theme.gap
            width: parent.width
            height: visible ? offlineLabel.implicitHeight + 30 : 0
            color: theme.warning
            radius: 12
            Text {
                id: offlineLabel
                anchors.centerIn: parent
                width: parent.width - 40
                text: kiosk.offlineText
                wrapMode: Text.WordWrap
                font.pixelSize: theme.small
                color: theme.accentText
            }
        }

        // Every screen exists once and only the current one is visible: creating and
        // destroying screens on each change (a Loader) grew the process by ~0.1 MB a time.
        Item {
            id: screens
            objectName: "screens"
            property string current: service.mode !== "closed" ? "service" : kiosk.screen
            anchors.top: offlineBanner.bottom
            anchors.topMargin: theme.gap
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.bottom: parent.bottom
            IdleScreen { anchors.fill: parent; visible: screens.current === "idle" }
            CatalogScreen { anchors.fill: parent; visible: screens.current === "catalog" }
            InfoScreen { anchors.fill: parent; visible: screens.current === "info" }
            StatusScreen { anchors.fill: parent; visible: screens.current === "status" }
            EntryScreen { anchors.fill: parent; visible: screens.current === "entry" }
            ConfirmScreen { anchors.fill: parent; visible: screens.current === "confirm" }
            CheckedScreen { anchors.fill: parent; visible: screens.current === "checked" }
            CashScreen { anchors.fill: parent; visible: screens.current === "cash" }
            PrintingScreen { anchors.fill: parent; visible: screens.current === "printing" }
            ThanksScreen { anchors.fill: parent; visible: screens.current === "thanks" }
            OutOfServiceScreen { anchors.fill: parent; visible: screens.current === "out_of_service" }
            ServiceScreen { anchors.fill: parent; visible: screens.current === "service" }
        }
    }

    // Held for three seconds, the top-left corner asks for the service PIN.
    MouseArea {
        objectName: "serviceCorner"
        width: 120; height: 120
        anchors.left: parent.left
        anchors.top: parent.top
        pressAndHoldInterval: 3000
        onPressAndHold: service.open()
    }

    Rectangle {
        id: attention
        objectName: "attentionOverlay"
        anchors.fill: parent
        visible: kiosk.attention !== "none" && service.mode === "closed"
        color: "#e60b1f3a"
        MouseArea { anchors.fill: parent }
        Column {
            anchors.centerIn: parent
            width: parent.width * 0.8
            spacing: theme.gap * 2
            KText {
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                font.pixelSize: theme.large
                font.bold: true
                text: kiosk.attention === "completing"
                      ? qsTr("Your payment will be completed and the receipt printed in")
                      : qsTr("Are you still there?")
            }
            KText {
                objectName: "attentionCountdown"
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                font.pixelSize: theme.huge
                color: theme.accent
                text: qsTr("%1 s").arg(kiosk.countdown)
            }
            KButton {
                objectName: "stillHereButton"
                anchors.horizontalCenter: parent.horizontalCenter
                primary: true
                text: qsTr("Yes, continue")
                onPressed: kiosk.touch()
            }
        }
    }
}
