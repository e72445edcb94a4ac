import QtQuick
import QtQuick.Window

// The demo's second window: drive the simulated devices like a customer or a fault would.
Window {
    objectName: "simulatorWindow"
    visible: true
    width: 780
    height: 920
    title: "Kiosk simulator"
    color: "#1d1d1d"
    Flow {
        anchors.fill: parent
        anchors.margins: 16
        spacing: 12
        Text { width: parent.width; color: "white"; font.pixelSize: 24; font.bold: true; text: "Bill acceptor" }
        Repeater {
            model: simulator.notes
            KButton { objectName: "sim_note_" + modelData; implicitWidth: 170; implicitHeight: 80; text: modelData + " ₸"; onPressed: simulator.insert(modelData) }
        }
        KButton { objectName: "sim_fake"; implicitWidth: 240; implicitHeight: 80; text: "Fake note"; onPressed: simulator.fake() }
        KButton { objectName: "sim_jam"; implicitWidth: 240; implicitHeight: 80; text: "Jam"; onPressed: simulator.jam() }
        KButton { objectName: "sim_clear"; implicitWidth: 240; implicitHeight: 80; text: "Clear jam"; onPressed: simulator.clear() }
        KButton { objectName: "sim_cassette_out"; implicitWidth: 240; implicitHeight: 80; text: "Cassette out"; onPressed: simulator.cassetteOut() }
        KButton { objectName: "sim_cassette_in"; implicitWidth: 240; implicitHeight: 80; text: "Cassette in"; onPressed: simulator.cassetteIn() }
        Text { width: parent.width; color: "white"; font.pixelSize: 24; font.bold: true; text: "Receipt printer" }
        KButton { objectName: "sim_paper_out"; implicitWidth: 240; implicitHeight: 80; active: simulator.hasPrinter; text: "Paper out"; onPressed: simulator.paperOut() }
        KButton { objectName: "sim_paper_near_end"; implicitWidth: 240; implicitHeight: 80; active: simulator.hasPrinter; text: "Paper near end"; onPressed: simulator.paperNearEnd() }
        KButton { objectName: "sim_paper_in"; implicitWidth: 240; implicitHeight: 80; active: simulator.hasPrinter; text: "Paper in"; onPressed: simulator.paperIn() }
        KButton {
            objectName: "sim_printer_online"
            implicitWidth: 366; implicitHeight: 80
            active: simulator.hasPrinter
            primary: simulator.printerOffline
            text: simulator.printerOffline ? "Printer back online" : "Printer offline"
            onPressed: simulator.togglePrinterOnline()
        }
        KButton {
            objectName: "sim_printer_cover"
            implicitWidth: 366; implicitHeight: 80
            active: simulator.hasPrinter
            primary: simulator.coverOpen
            text: simulator.coverOpen ? "Close the cover" : "Open the cover"
            onPressed: simulator.toggleCover()
        }
        Text {
            objectName: "sim_printer_state"
            width: parent.width
            color: "#bbbbbb"
            font.pixelSize: 20
            wrapMode: Text.WordWrap
            text: simulator.hasPrinter ? simulator.printerText : "No printer is simulated in this run: receipts show as not printed."
        }
        Text { width: parent.width; color: "white"; font.pixelSize: 24; font.bold: true; text: "Network" }
        KButton {
            objectName: "sim_network"
            implicitWidth: 748; implicitHeight: 80
            active: simulator.hasLedger
            primary: simulator.networkDown
            text: simulator.networkDown ? "Bring the network back" : "Cut the network to the ledger"
            onPressed: simulator.toggleNetwork()
        }
        Text { objectName: "sim_message"; width: parent.width; color: "#ffd23f"; font.pixelSize: 22; wrapMode: Text.WordWrap; text: simulator.message }
    }
}
