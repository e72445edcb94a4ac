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
    // A press anywhere (a button or not) tells the attract layer someone is there.
    Component.onCompleted: kiosk.watchTouches(window)

    Item {
        id: content
        anchors.fill: parent
        anchors.margins: 40
        anchors.bottomMargin: footer.visible ? 6 : 40  // the footer sits in the margin

        // The payment's steps: beside the languages in landscape, on their own line in
        // portrait (no room beside them there); scaled down rather than cut when long.
        Item {
            id: steps
            property bool inTopBar: !window.portrait
            anchors.top: inTopBar ? parent.top : languages.bottom
            anchors.topMargin: inTopBar || height === 0 ? 0 : theme.gap / 2
            anchors.left: parent.left
            width: inTopBar ? languages.x - theme.gap / 2 : parent.width
            height: kiosk.guide.step > 0 && service.mode === "closed"
                    ? (inTopBar ? languages.height : indicator.implicitHeight) : 0
            visible: height > 0
            StepIndicator {
                id: indicator
                anchors.verticalCenter: parent.verticalCenter
                // Whole, shrunk if need be (large text in landscape).
                x: steps.inTopBar ? 0 : (parent.width - width * scale) / 2
                transformOrigin: Item.Left
                scale: Math.min(1, parent.width / Math.max(1, implicitWidth))
            }
        }

        Row {
            id: languages
            objectName: "languageBar"
            anchors.top: parent.top
            anchors.right: parent.right
            spacing: 16
            visible: kiosk.screen !== "printing" && service.mode === "closed"
            height: visible ? implicitHeight : 0  // hidden, it gives its space to the screen
            // Larger text for this customer (the theme's fonts x1.3) until the session ends.
            KButton {
                objectName: "largeTextButton"
                text: "Aa"
                implicitWidth: theme.touch
                primary: kiosk.guide.largeText
                onPressed: kiosk.toggleLargeText()
                Accessible.role: Accessible.Button
                Accessible.name: qsTr("Large text")
                Accessible.checkable: true
                Accessible.checked: kiosk.guide.largeText
            }
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
            anchors.top: steps.inTopBar ? languages.bottom : steps.bottom
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
            anchors.bottom: footer.top
            anchors.bottomMargin: 0  // the footer draws its own line above
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

        Footer {
            id: footer
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.bottom: parent.bottom
            visible: service.mode === "closed" && kiosk.screen !== "starting"
            height: visible ? implicitHeight : 0
        }
    }

    // The untouched idle screen invites the next customer; a touch only takes it away.
    AttractScreen {
        anchors.fill: parent
        visible: kiosk.guide.attract && service.mode === "closed" && kiosk.screen === "idle"
                 && kiosk.attention === "none"
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
